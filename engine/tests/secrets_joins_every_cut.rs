//! The join pass of `SecretScanner::redact_texts` finds a secret however the texts cut it: the
//! pass reuses each text's own scan and searches only around the boundaries (see
//! `secrets::joins`), so this checks, through the public API, that every cut of a secret into
//! two texts, and into three with an empty text at the cut, leaves no part of it in the texts
//! that go on.
#![cfg(test)]

use llm_warden_engine::secrets::{SecretScanner, SecretsConfig};

/// (secret as written, the part of it no output may keep)
const SECRETS: &[(&str, &str)] = &[
    ("AKIAZ7Q2MXRB5TUVWX3Y", "Z7Q2MXRB5TUVWX3Y"),
    (
        "ghp_Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2",
        "Zq3kT9vLm2Xw8RbYc4Hn6Jp1Qs5Dt7Fg0Ka2",
    ),
    ("4111 1111 1111 1111", "4111 1111 1111 1111"),
    ("password: Zk8qLm2vX9pRt4Wq", "Zk8qLm2vX9pRt4Wq"),
    (
        "Authorization: Bearer Zq3kT9vLm2Xw8RbYc4Hn6Jp1",
        "Zq3kT9vLm2Xw8RbYc4Hn6Jp1",
    ),
];

/// Whether `out` keeps any 6-byte piece of `body`.
fn leaks(out: &str, body: &str) -> bool {
    body.as_bytes()
        .windows(6)
        .any(|w| out.contains(std::str::from_utf8(w).unwrap()))
}

#[test]
fn a_secret_cut_anywhere_across_texts_is_masked() {
    let scanner = SecretScanner::compile(&SecretsConfig::default(), "secrets").unwrap();
    let prose = "The committee reviewed the quarterly report on river sediment. ";
    for (secret, body) in SECRETS {
        let whole = format!("{prose}{secret} and then {prose}");
        assert!(!leaks(&scanner.redact(&whole).text, body), "{secret} alone");
        for cut in (0..=whole.len()).filter(|&i| whole.is_char_boundary(i)) {
            let (a, b) = whole.split_at(cut);
            for texts in [vec![a, b], vec![a, "", b]] {
                let r = scanner.redact_texts(&texts);
                let out = r.texts.concat();
                assert!(!leaks(&out, body), "{secret} cut at {cut}: {:?}", r.texts);
            }
        }
    }
}

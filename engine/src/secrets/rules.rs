//! The built-in rule pack, written from the vendors' published token formats.
//!
//! Each rule is data: a stable id, how a candidate is triggered (literal keywords for the
//! aho-corasick prefilter, or the start of a run of characters for numbers), how far the
//! candidate may extend from the trigger (its [`Extent`]), a confirming regex run only inside
//! that extent, and a [`Validator`] where the format defines one. Keeping the extent explicit is
//! what makes streaming exact: a candidate's window is a function of the text from its trigger to
//! its terminator, so a streamed and an unsplit text give the same windows.
//!
//! Rule ids are stable: configs refer to them (`secrets.overrides`), audit logs and metrics
//! count by them.

use super::validate::Validator;

/// Which pack a rule belongs to: `Secrets` is on by default, `Pii` only with `pii: true`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pack {
    Secrets,
    Pii,
}

/// A set of ASCII bytes that make up a run (a token body, a number, a URL authority).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// `[A-Z0-9]`
    UpperDigit,
    /// `[0-9]`
    Digit,
    /// Where a phone number may start: `[0-9+(]`
    PhoneStart,
    /// Where an email address may start: `[A-Za-z0-9_%+-]`
    EmailStart,
    /// `[A-Za-z0-9]`
    Alnum,
    /// `[A-Za-z0-9_-]`
    UrlSafe,
    /// `[A-Za-z0-9_.-]`
    Dotted,
    /// `[A-Za-z0-9_.=-]` (JWT segments and separators)
    Jwt,
    /// `[0-9a-fA-F]`
    Hex,
    /// RFC 6750 b64token: `[A-Za-z0-9._~+/=-]`
    B64Token,
    /// `[A-Za-z0-9/+=]`
    Base64,
    /// `[A-Za-z0-9/_.-]` (webhook paths)
    Path,
    /// Digits and the separators a card number is written with: `[0-9 -]`
    CardNumber,
    /// Digits and the separators a phone number is written with: `[0-9 ()+.-]`
    Number,
    /// Email address characters: `[A-Za-z0-9._%+@-]`
    Email,
    /// IBAN characters: `[A-Z0-9 ]`
    Iban,
    /// A URL authority: any visible ASCII except `/ ? # " ' < > \` ( ) [ ] { } \`
    Authority,
    /// A free-form assigned value: visible ASCII except quotes, `,`, `;`, `<`, `>`, `)` `]` `}`
    Value,
}

impl Class {
    /// Every class, in declaration order (its discriminant is its bit in [`CLASS_TABLE`]).
    pub(crate) const ALL: [Class; 18] = [
        Class::UpperDigit,
        Class::Digit,
        Class::PhoneStart,
        Class::EmailStart,
        Class::Alnum,
        Class::UrlSafe,
        Class::Dotted,
        Class::Jwt,
        Class::Hex,
        Class::B64Token,
        Class::Base64,
        Class::Path,
        Class::CardNumber,
        Class::Number,
        Class::Email,
        Class::Iban,
        Class::Authority,
        Class::Value,
    ];

    /// This class's bit in a [`CLASS_TABLE`] entry.
    pub(crate) const fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// Whether `b` is in the class: one table load (the scan asks this of every byte).
    #[inline]
    pub(crate) fn contains(self, b: u8) -> bool {
        CLASS_TABLE
            .get(usize::from(b))
            .is_some_and(|m| m & self.bit() != 0)
    }

    /// The definition of each class, from which [`CLASS_TABLE`] is built at compile time.
    const fn defines(self, b: u8) -> bool {
        match self {
            Class::UpperDigit => b.is_ascii_uppercase() || b.is_ascii_digit(),
            Class::Digit => b.is_ascii_digit(),
            Class::PhoneStart => b.is_ascii_digit() || b == b'+' || b == b'(',
            Class::EmailStart => {
                b.is_ascii_alphanumeric() || matches!(b, b'_' | b'%' | b'+' | b'-')
            }
            Class::Alnum => b.is_ascii_alphanumeric(),
            Class::UrlSafe => b.is_ascii_alphanumeric() || b == b'_' || b == b'-',
            Class::Dotted => b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'),
            Class::Jwt => b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'='),
            Class::Hex => b.is_ascii_hexdigit(),
            Class::B64Token => {
                b.is_ascii_alphanumeric()
                    || matches!(b, b'.' | b'_' | b'~' | b'+' | b'/' | b'=' | b'-')
            }
            Class::Base64 => b.is_ascii_alphanumeric() || matches!(b, b'/' | b'+' | b'='),
            Class::Path => b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'.'),
            Class::CardNumber => b.is_ascii_digit() || b == b' ' || b == b'-',
            Class::Number => {
                b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'(' | b')' | b'+' | b'.')
            }
            Class::Email => {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-' | b'@')
            }
            Class::Iban => b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ',
            Class::Authority => {
                b.is_ascii_graphic()
                    && !matches!(
                        b,
                        b'/' | b'?'
                            | b'#'
                            | b'"'
                            | b'\''
                            | b'<'
                            | b'>'
                            | b'`'
                            | b'('
                            | b')'
                            | b'['
                            | b']'
                            | b'{'
                            | b'}'
                            | b'\\'
                    )
            }
            Class::Value => {
                b.is_ascii_graphic()
                    && !matches!(
                        b,
                        b'"' | b'\'' | b'`' | b',' | b';' | b'<' | b'>' | b')' | b']' | b'}'
                    )
            }
        }
    }
}

/// For each byte, the bits (see [`Class::bit`]) of the classes that contain it.
#[allow(clippy::indexing_slicing)] // compile-time, in bounds by the loop conditions
pub(crate) const CLASS_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut b = 0;
    while b < 256 {
        let mut c = 0;
        while c < Class::ALL.len() {
            if Class::ALL[c].defines(b as u8) {
                table[b] |= Class::ALL[c].bit();
            }
            c += 1;
        }
        b += 1;
    }
    table
};

/// How a candidate is triggered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trigger {
    /// Literal keywords found by the aho-corasick pass (ASCII case-insensitive; a rule marked
    /// case-sensitive re-checks the exact bytes). The keyword starts the candidate.
    Keywords(&'static [&'static str]),
    /// Any byte of this class that starts a run (its predecessor is not alphanumeric).
    RunStart(Class),
}

/// What the byte before the trigger may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Left {
    Any,
    /// Not `[A-Za-z0-9]`.
    NotAlnum,
    /// Not a letter, unless the keyword starts with a capital (camelCase: `clientSecret`).
    Identifier,
    /// Not alphanumeric, `.`, `,` or `@` (the start of a number, not its middle).
    NumberStart,
    /// Not an email character (the start of an address, not its middle).
    EmailStart,
}

/// What the byte after the confirmed match may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Right {
    Any,
    NotAlnum,
    /// Not `[A-Za-z0-9_-]`.
    NotUrlSafe,
}

/// How far a candidate extends from its trigger; the regex only ever sees this window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extent {
    /// The keyword followed by a run of the class (the run ends at the first other byte).
    Token(Class),
    /// `keyword[ident]["'] [:=|=>|:=] ["']value`: the value is a run of the class; the secret
    /// is the value only.
    Assignment(Class),
    /// PEM armour: from the BEGIN line through the matching `-----END ...-----` line.
    Armor,
    /// To the end of the line (custom regex rules, headers). If the regex has a capture group,
    /// the first group is the secret.
    Line,
    /// Exactly the keyword (custom literals, canaries).
    Keyword,
}

/// One built-in rule, as data.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BuiltinRule {
    pub id: &'static str,
    pub pack: Pack,
    pub trigger: Trigger,
    pub case_sensitive: bool,
    pub left: Left,
    pub extent: Extent,
    /// Longest window, in bytes from the trigger; also bounds what a stream holds back for it.
    pub cap: usize,
    /// Confirming regex, matched anchored at the start of the run after the keyword (for
    /// `Assignment`: against the whole value). Empty: the window shape is enough.
    pub pattern: &'static str,
    pub right: Right,
    pub validator: Validator,
    /// Among overlapping candidates starting at the same byte, the higher priority names the
    /// match (a specific vendor rule beats a generic one).
    pub priority: u8,
    /// The keyword names the secret but is not part of it (`Bearer `): the match starts after it.
    pub keep_keyword: bool,
}

const fn token(
    id: &'static str,
    keywords: &'static [&'static str],
    body: Class,
    cap: usize,
    pattern: &'static str,
    validator: Validator,
) -> BuiltinRule {
    BuiltinRule {
        id,
        pack: Pack::Secrets,
        trigger: Trigger::Keywords(keywords),
        case_sensitive: true,
        left: Left::NotAlnum,
        extent: Extent::Token(body),
        cap,
        pattern,
        right: Right::NotAlnum,
        // A token has a fixed prefix and shape: placeholders are judged by its whole body.
        validator: match validator {
            Validator::NotPlaceholder => Validator::Fixed,
            Validator::Random => Validator::FixedRandom,
            v => v,
        },
        priority: 50,
        keep_keyword: false,
    }
}

const fn assignment(
    id: &'static str,
    keywords: &'static [&'static str],
    value: Class,
    pattern: &'static str,
    validator: Validator,
    priority: u8,
) -> BuiltinRule {
    BuiltinRule {
        id,
        pack: Pack::Secrets,
        trigger: Trigger::Keywords(keywords),
        case_sensitive: false,
        left: Left::Identifier,
        extent: Extent::Assignment(value),
        cap: 512,
        pattern,
        right: Right::Any,
        validator,
        priority,
        keep_keyword: false,
    }
}

const fn url(id: &'static str, schemes: &'static [&'static str], priority: u8) -> BuiltinRule {
    BuiltinRule {
        id,
        pack: Pack::Secrets,
        trigger: Trigger::Keywords(schemes),
        case_sensitive: false,
        left: Left::NotAlnum,
        extent: Extent::Token(Class::Authority),
        cap: 512,
        // user:password@host[:port]; the password may not be empty.
        pattern: r"^[^\s:@/]*:[^\s@/]+@[A-Za-z0-9.\-_\[\]:%]+",
        right: Right::Any,
        validator: Validator::UrlPassword,
        priority,
        keep_keyword: false,
    }
}

const fn pem(id: &'static str, keywords: &'static [&'static str]) -> BuiltinRule {
    BuiltinRule {
        id,
        pack: Pack::Secrets,
        trigger: Trigger::Keywords(keywords),
        case_sensitive: true,
        left: Left::Any,
        extent: Extent::Armor,
        cap: 16 << 10,
        pattern: "",
        right: Right::Any,
        validator: Validator::Pem,
        priority: 60,
        keep_keyword: false,
    }
}

const fn pii(
    id: &'static str,
    start: Class,
    left: Left,
    body: Class,
    cap: usize,
    pattern: &'static str,
    validator: Validator,
) -> BuiltinRule {
    BuiltinRule {
        id,
        pack: Pack::Pii,
        trigger: Trigger::RunStart(start),
        case_sensitive: true,
        left,
        extent: Extent::Token(body),
        cap,
        pattern,
        right: Right::NotAlnum,
        validator,
        priority: 10,
        keep_keyword: false,
    }
}

const GENERIC_VALUE: Validator = Validator::Assigned {
    min_len: 10,
    min_entropy_tenths: 30,
};

/// The built-in pack. Formats are the vendors' own (documentation of key formats and prefixes).
pub(crate) const BUILTIN_RULES: &[BuiltinRule] = &[
    // AWS: access key ids are a 4-letter type prefix and 16 base32 characters.
    token(
        "secret.aws.access_key_id",
        &["AKIA", "ASIA", "ABIA", "ACCA"],
        Class::UpperDigit,
        64,
        r"^[A-Z2-7]{16}",
        Validator::NotPlaceholder,
    ),
    // AWS secret access keys have no prefix: 40 base64 characters, recognised by their name.
    assignment(
        "secret.aws.secret_access_key",
        &[
            "aws_secret_access_key",
            "aws_secret_key",
            "secret_access_key",
            "secretaccesskey",
            "aws_secret",
        ],
        Class::Base64,
        r"^[A-Za-z0-9/+]{40}$",
        Validator::NotPlaceholder,
        80,
    ),
    // Google API keys: "AIza" and 35 URL-safe characters.
    token(
        "secret.gcp.api_key",
        &["AIza"],
        Class::UrlSafe,
        64,
        r"^[A-Za-z0-9_-]{35}",
        Validator::NotPlaceholder,
    ),
    // Azure storage: connection strings carry AccountKey=<88 base64 chars>.
    assignment(
        "secret.azure.storage_account_key",
        &["AccountKey", "SharedAccessKey"],
        Class::Base64,
        r"^[A-Za-z0-9/+]{43,86}={0,2}$",
        Validator::NotPlaceholder,
        80,
    ),
    // Azure shared access signatures in URLs: sig=<base64, URL-encoded>.
    BuiltinRule {
        id: "secret.azure.sas_signature",
        pack: Pack::Secrets,
        trigger: Trigger::Keywords(&["sig="]),
        case_sensitive: true,
        left: Left::NotAlnum,
        extent: Extent::Token(Class::Authority),
        cap: 256,
        pattern: r"^[A-Za-z0-9%/+]{40,}",
        right: Right::Any,
        validator: Validator::NotPlaceholder,
        priority: 50,
        keep_keyword: true,
    },
    // GitHub: classic tokens are a type prefix and 36 base62 characters (last 6 a checksum).
    token(
        "secret.github.token",
        &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        Class::Alnum,
        128,
        r"^[A-Za-z0-9]{36}",
        Validator::NotPlaceholder,
    ),
    // GitHub fine-grained PATs: "github_pat_", 22 characters, "_", 59 characters.
    token(
        "secret.github.fine_grained_pat",
        &["github_pat_"],
        Class::UrlSafe,
        160,
        r"^[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
        Validator::NotPlaceholder,
    ),
    // GitLab tokens: a type prefix; legacy tokens then exactly 20 URL-safe characters, routable
    // tokens a payload, "." a 2-character version, "." and a base36 checksum.
    BuiltinRule {
        right: Right::NotUrlSafe,
        ..token(
            "secret.gitlab.token",
            &[
                "glpat-", "gldt-", "glrt-", "glsoat-", "glft-", "glcbt-", "glffct-",
            ],
            Class::Dotted,
            320,
            r"^(?:[A-Za-z0-9_-]{27,300}\.[0-9a-z]{2}\.[0-9a-z]{7,9}|[A-Za-z0-9_-]{20})",
            Validator::Random,
        )
    },
    // Pipeline trigger tokens: 40 URL-safe characters; OAuth application secrets: 64; incoming
    // mail tokens: 25; agent tokens: 50 or more.
    BuiltinRule {
        right: Right::NotUrlSafe,
        ..token(
            "secret.gitlab.token",
            &["glptt-"],
            Class::UrlSafe,
            128,
            r"^[A-Za-z0-9_-]{40}",
            Validator::Random,
        )
    },
    BuiltinRule {
        right: Right::NotUrlSafe,
        ..token(
            "secret.gitlab.token",
            &["gloas-"],
            Class::UrlSafe,
            128,
            r"^[A-Za-z0-9_-]{64}",
            Validator::Random,
        )
    },
    BuiltinRule {
        right: Right::NotUrlSafe,
        ..token(
            "secret.gitlab.token",
            &["glimt-"],
            Class::UrlSafe,
            128,
            r"^[A-Za-z0-9_-]{25}",
            Validator::Random,
        )
    },
    BuiltinRule {
        right: Right::NotUrlSafe,
        ..token(
            "secret.gitlab.token",
            &["glagent-"],
            Class::UrlSafe,
            320,
            r"^[A-Za-z0-9_-]{50,}",
            Validator::Random,
        )
    },
    BuiltinRule {
        right: Right::NotUrlSafe,
        ..token(
            "secret.gitlab.runner_registration_token",
            &["GR1348941"],
            Class::UrlSafe,
            64,
            r"^[A-Za-z0-9_-]{20,}",
            Validator::Random,
        )
    },
    // Slack API tokens: xox[abprse]-, then workspace / user / bot ids (8-14 digits) and the
    // secret part; configuration tokens ("xoxe.xoxp-1-", "xoxe-1-") a version digit and a long
    // secret.
    BuiltinRule {
        right: Right::NotUrlSafe,
        ..token(
            "secret.slack.token",
            &[
                "xoxb-",
                "xoxp-",
                "xoxa-",
                "xoxr-",
                "xoxs-",
                "xoxe-",
                "xoxe.xoxp-",
                "xoxe.xoxb-",
            ],
            Class::UrlSafe,
            320,
            r"^(?:[0-9]-)?(?:[0-9]{8,14}-){1,3}[0-9A-Za-z]{10,}(?:-[0-9A-Za-z]+)*|^[0-9]-[0-9A-Za-z]{60,}",
            Validator::NotPlaceholder,
        )
    },
    token(
        "secret.slack.app_token",
        &["xapp-"],
        Class::UrlSafe,
        320,
        r"^[0-9]-[A-Z0-9]+-[0-9]+-[a-z0-9]{20,}",
        Validator::NotPlaceholder,
    ),
    BuiltinRule {
        left: Left::Any,
        right: Right::Any,
        // A URL path, not a fixed-format id: any placeholder marker in it marks an example.
        validator: Validator::NotPlaceholder,
        ..token(
            "secret.slack.webhook_url",
            &["hooks.slack.com/"],
            Class::Path,
            256,
            r"^(?:services|workflows|triggers)/[A-Za-z0-9_]{6,}/[A-Za-z0-9_]{6,}/[A-Za-z0-9_/]{16,}",
            Validator::NotPlaceholder,
        )
    },
    // Stripe: secret and restricted keys, live and test, and webhook signing secrets.
    token(
        "secret.stripe.secret_key",
        &["sk_live_", "sk_test_", "rk_live_", "rk_test_"],
        Class::Alnum,
        320,
        r"^[A-Za-z0-9]{16,}",
        Validator::NotPlaceholder,
    ),
    token(
        "secret.stripe.webhook_secret",
        &["whsec_"],
        Class::Alnum,
        128,
        r"^[A-Za-z0-9]{24,}",
        Validator::NotPlaceholder,
    ),
    // Anthropic: "sk-ant-", a type and version ("api03", "admin01"), then the key.
    BuiltinRule {
        priority: 70,
        right: Right::NotUrlSafe,
        ..token(
            "secret.anthropic.api_key",
            &["sk-ant-"],
            Class::UrlSafe,
            320,
            r"^[a-z]+[0-9]{2}-[A-Za-z0-9_-]{32,}",
            Validator::NotPlaceholder,
        )
    },
    // OpenAI: "sk-", optionally a project / service-account / admin type, then the key.
    BuiltinRule {
        right: Right::NotUrlSafe,
        ..token(
            "secret.openai.api_key",
            &["sk-"],
            Class::UrlSafe,
            320,
            r"^(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{32,}",
            Validator::NotPlaceholder,
        )
    },
    // Hugging Face: "hf_" (user access tokens) or "api_org_" (organisation tokens) and 34 letters.
    BuiltinRule {
        right: Right::NotUrlSafe,
        ..token(
            "secret.huggingface.token",
            &["hf_", "api_org_"],
            Class::Alnum,
            128,
            r"^[A-Za-z]{34}",
            Validator::Random,
        )
    },
    // npm access tokens: "npm_" + 36 base62 characters.
    token(
        "secret.npm.token",
        &["npm_"],
        Class::Alnum,
        64,
        r"^[A-Za-z0-9]{36}",
        Validator::NotPlaceholder,
    ),
    // PyPI API tokens are macaroons: "pypi-" + base64url of a message starting with the
    // location "pypi.org" (or "test.pypi.org"); identifier and signature make them long.
    BuiltinRule {
        right: Right::NotUrlSafe,
        ..token(
            "secret.pypi.token",
            &["pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"],
            Class::UrlSafe,
            1024,
            r"^[A-Za-z0-9_-]{100,}",
            Validator::None,
        )
    },
    // SendGrid: "SG." + 22 + "." + 43 URL-safe base64 characters.
    token(
        "secret.sendgrid.api_key",
        &["SG."],
        Class::Jwt,
        128,
        r"^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
        Validator::NotPlaceholder,
    ),
    // SonarQube tokens (9.5 and later): "squ_" user, "sqp_" project, "sqa_" global analysis,
    // then 40 hex digits.
    token(
        "secret.sonar.token",
        &["squ_", "sqp_", "sqa_"],
        Class::Alnum,
        64,
        r"^[0-9a-f]{40}",
        Validator::NotPlaceholder,
    ),
    // Sidekiq Pro / Enterprise gem-server credentials: "<8 hex>:<8 hex>" in the Bundler
    // variables BUNDLE_ENTERPRISE__CONTRIBSYS__COM / BUNDLE_GEMS__CONTRIBSYS__COM.
    assignment(
        "secret.sidekiq.credentials",
        &[
            "BUNDLE_ENTERPRISE__CONTRIBSYS__COM",
            "BUNDLE_GEMS__CONTRIBSYS__COM",
        ],
        Class::Value,
        r"^[0-9a-fA-F]{8}:[0-9a-fA-F]{8}$",
        Validator::NotPlaceholder,
        80,
    ),
    // Twilio: API key SIDs "SK" and account SIDs "AC", each + 32 lowercase hex digits.
    token(
        "secret.twilio.api_key",
        &["SK", "AC"],
        Class::Hex,
        64,
        r"^[0-9a-f]{32}",
        Validator::NotPlaceholder,
    ),
    // JSON Web Tokens (RFC 7519): base64url(header).base64url(payload)[.signature], both JSON.
    BuiltinRule {
        right: Right::NotUrlSafe,
        ..token(
            "secret.jwt",
            &["eyJ"],
            Class::Jwt,
            8 << 10,
            r"^[A-Za-z0-9_-]+={0,2}\.eyJ[A-Za-z0-9_-]+={0,2}(?:\.[A-Za-z0-9_-]*)?",
            Validator::Jwt,
        )
    },
    // PEM private keys (PKCS#1 RSA, SEC1 EC, DSA, OpenSSH, PKCS#8 plain and encrypted, PGP).
    pem(
        "secret.private_key.rsa",
        &["-----BEGIN RSA PRIVATE KEY-----"],
    ),
    pem("secret.private_key.ec", &["-----BEGIN EC PRIVATE KEY-----"]),
    pem(
        "secret.private_key.dsa",
        &["-----BEGIN DSA PRIVATE KEY-----"],
    ),
    pem(
        "secret.private_key.openssh",
        &["-----BEGIN OPENSSH PRIVATE KEY-----"],
    ),
    pem("secret.private_key.pkcs8", &["-----BEGIN PRIVATE KEY-----"]),
    pem(
        "secret.private_key.encrypted",
        &["-----BEGIN ENCRYPTED PRIVATE KEY-----"],
    ),
    pem(
        "secret.private_key.pgp",
        &["-----BEGIN PGP PRIVATE KEY BLOCK-----"],
    ),
    // Credentials in URLs: database connection strings, then any other scheme.
    url(
        "secret.db.connection_string",
        &[
            "postgres://",
            "postgresql://",
            "mysql://",
            "mariadb://",
            "mongodb://",
            "mongodb+srv://",
            "redis://",
            "rediss://",
            "amqp://",
            "amqps://",
            "mssql://",
            "sqlserver://",
            "jdbc:mysql://",
            "jdbc:postgresql://",
        ],
        45,
    ),
    url(
        "secret.url.credentials",
        &[
            "https://", "http://", "ftp://", "ftps://", "sftp://", "ssh://", "smtp://", "ldap://",
        ],
        40,
    ),
    // HTTP authorization headers: "Authorization: [scheme] credentials" (RFC 9110 11.6.2).
    BuiltinRule {
        id: "secret.http.authorization",
        pack: Pack::Secrets,
        trigger: Trigger::Keywords(&["Authorization:", "Proxy-Authorization:"]),
        case_sensitive: false,
        left: Left::NotAlnum,
        extent: Extent::Line,
        cap: 8 << 10,
        pattern: r"^[A-Za-z-]+:[ \t]*(?:(?:Basic|Bearer|Token|Api-Token|Digest|Bot|token|bearer|basic)[ \t]+)?([A-Za-z0-9._~+/=-]{8,})",
        right: Right::Any,
        validator: GENERIC_VALUE,
        priority: 35,
        keep_keyword: false,
    },
    // "Bearer <token>" anywhere else (RFC 6750 b64token).
    BuiltinRule {
        id: "secret.http.bearer_token",
        pack: Pack::Secrets,
        trigger: Trigger::Keywords(&["Bearer "]),
        case_sensitive: false,
        left: Left::NotAlnum,
        extent: Extent::Token(Class::B64Token),
        cap: 8 << 10,
        pattern: r"^[A-Za-z0-9._~+/-]{16,}=*",
        right: Right::Any,
        validator: GENERIC_VALUE,
        priority: 30,
        keep_keyword: true,
    },
    // Generic assignments of secrets: password / secret / token / api key = <value>.
    assignment(
        "secret.generic.assignment",
        &[
            "password",
            "passwd",
            "pwd",
            "secret",
            "token",
            "api_key",
            "apikey",
            "api-key",
            "access_key",
            "accesskey",
            "auth_key",
            "private_key",
            "client_secret",
            "credential",
        ],
        Class::Value,
        "",
        GENERIC_VALUE,
        20,
    ),
    // Payment cards: 13-19 digits, known IIN range, Luhn check digit.
    BuiltinRule {
        id: "secret.payment_card",
        pack: Pack::Secrets,
        trigger: Trigger::RunStart(Class::Digit),
        case_sensitive: true,
        left: Left::NumberStart,
        extent: Extent::Token(Class::CardNumber),
        cap: 40,
        pattern: r"^[0-9](?:[ -]?[0-9]){12,18}",
        right: Right::NotAlnum,
        validator: Validator::Card,
        priority: 15,
        keep_keyword: false,
    },
    // PII pack (off by default).
    pii(
        "pii.email",
        Class::EmailStart,
        Left::EmailStart,
        Class::Email,
        320,
        r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}",
        Validator::None,
    ),
    pii(
        "pii.us_ssn",
        Class::Digit,
        Left::NumberStart,
        Class::CardNumber,
        40,
        r"^[0-9]{3}-[0-9]{2}-[0-9]{4}",
        Validator::Ssn,
    ),
    pii(
        "pii.phone",
        Class::PhoneStart,
        Left::NumberStart,
        Class::Number,
        40,
        r"^(?:\+[1-9][0-9]{0,2}[ .-]?)?(?:\([0-9]{2,4}\)[ .-]?|[0-9]{2,4}[ .-])[0-9]{3,4}[ .-]?[0-9]{3,4}",
        Validator::None,
    ),
    pii(
        "pii.iban",
        Class::Iban,
        Left::NotAlnum,
        Class::Iban,
        48,
        r"^[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?",
        Validator::Iban,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_table_is_the_definition() {
        for class in Class::ALL {
            for b in 0..=255u8 {
                assert_eq!(class.contains(b), class.defines(b), "{class:?} {b:#04x}");
            }
        }
        // Every variant is listed once, at its own bit.
        for (i, class) in Class::ALL.iter().enumerate() {
            assert_eq!(*class as usize, i);
        }
    }
}

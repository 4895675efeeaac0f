#!/usr/bin/env python3
"""Generates cases.jsonl: answers with secrets embedded, and the exact expected redaction.

The expected text is built here, independently of the engine: each secret is placed at a known
position and replaced by `[REDACTED:<rule id>]`. Secrets are synthetic values in the vendors'
published formats, drawn from a seeded PRNG (so the file is reproducible); look-alike rows expect
the text unchanged. Run: python3 testdata/secrets/generate_cases.py > testdata/secrets/cases.jsonl
"""
import base64
import json
import random

rng = random.Random(20261125)
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = UPPER.lower()
DIGITS = "0123456789"
ALNUM = UPPER + LOWER + DIGITS
URLSAFE = ALNUM + "_-"
B32 = UPPER + "234567"
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"


def rand(alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt():
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"sub": "u-" + rand(DIGITS, 6), "role": "admin"}).encode())
    return f"{header}.{payload}.{rand(URLSAFE, 43)}"


def pem(label, lines=4):
    body = "\n".join(rand(B64, 64) for _ in range(lines))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----"


R = "[REDACTED:{}]"
cases = []


def secret(name, before, value, after, rule):
    cases.append({"name": name, "text": before + value + after, "expect": before + R.format(rule) + after})


def keep(name, text):
    cases.append({"name": name, "text": text, "expect": text})


secret("aws access key id in prose", "Your key is ", "AKIA" + rand(B32, 16), " (keep it safe).", "secret.aws.access_key_id")
secret("aws temporary key id", "export AWS_ACCESS_KEY_ID=", "ASIA" + rand(B32, 16), "\n", "secret.aws.access_key_id")
secret("aws secret key in context", "aws_secret_access_key = ", rand(B64, 40), "\n", "secret.aws.secret_access_key")
secret("google api key", "const key = \"", "AIza" + rand(URLSAFE, 35), "\";", "secret.gcp.api_key")
secret("azure storage key", "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=", rand(B64, 86) + "==", ";EndpointSuffix=core.windows.net", "secret.azure.storage_account_key")
secret("github classic token in code", "```\ngit clone https://github.com/acme/app\nexport GITHUB_TOKEN=", "ghp_" + rand(ALNUM, 36), "\n```", "secret.github.token")
secret("github fine-grained pat", "Use ", "github_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59), " for the API.", "secret.github.fine_grained_pat")
secret("gitlab pat", "token: ", "glpat-" + rand(ALNUM, 20), "\n", "secret.gitlab.token")
secret("slack bot token", "SLACK_BOT_TOKEN is ", "xoxb-" + rand(DIGITS, 12) + "-" + rand(DIGITS, 13) + "-" + rand(ALNUM, 24), ".", "secret.slack.token")
secret("slack webhook", "Post to https://", "hooks.slack.com/services/T" + rand(UPPER + DIGITS, 8) + "/B" + rand(UPPER + DIGITS, 10) + "/" + rand(ALNUM, 24), " when done.", "secret.slack.webhook_url")
secret("stripe live key", "Stripe: ", "sk_live_" + rand(ALNUM, 24), "", "secret.stripe.secret_key")
secret("openai project key", "OPENAI_API_KEY=", "sk-proj-" + rand(URLSAFE, 48), "\nThen run the script.", "secret.openai.api_key")
secret("anthropic key", "Set ANTHROPIC_API_KEY to ", "sk-ant-api03-" + rand(URLSAFE, 93) + "AA", ", then retry.", "secret.anthropic.api_key")
secret("hugging face token", "login with ", "hf_" + rand(UPPER + LOWER, 34), " and push.", "secret.huggingface.token")
secret("npm token", "//registry.npmjs.org/:_authToken=", "npm_" + rand(ALNUM, 36), "\n", "secret.npm.token")
secret("pypi token", "password = ", "pypi-AgEIcHlwaS5vcmc" + rand(URLSAFE, 150), "\n", "secret.pypi.token")
secret("sendgrid key", "SENDGRID_API_KEY='", "SG." + rand(URLSAFE, 22) + "." + rand(URLSAFE, 43), "'", "secret.sendgrid.api_key")
secret("twilio api key sid", "Twilio key ", "SK" + rand(HEX, 32), " is active.", "secret.twilio.api_key")
secret("jwt in a header example", "The session cookie holds ", jwt(), ".", "secret.jwt")
secret("rsa private key", "Here is the key:\n\n", pem("RSA PRIVATE KEY"), "\n\nStore it in a vault.", "secret.private_key.rsa")
secret("openssh private key", "id_ed25519:\n", pem("OPENSSH PRIVATE KEY", 3), "\n", "secret.private_key.openssh")
secret("pkcs8 key with escaped newlines in json", '{"private_key": "', pem("PRIVATE KEY", 3).replace("\n", "\\n"), '"}', "secret.private_key.pkcs8")
secret("postgres connection string", "DATABASE_URL=", "postgres://app:" + rand(ALNUM, 14) + "@db.internal:5432", "/app\n", "secret.db.connection_string")
secret("credentials in https url", "Fetch ", "https://deploy:" + rand(ALNUM, 12) + "@git.acme.io", "/repo.git", "secret.url.credentials")
secret("generic password assignment", "DB_PASSWORD=\"", "h7#Kq9!vR2mZ" + rand(DIGITS, 3), "\"\n", "secret.generic.assignment")
secret("generic api key in yaml", "service:\n  api_key: ", rand(ALNUM, 32), "\n  region: eu\n", "secret.generic.assignment")
secret("authorization header", "curl -H \"Authorization: Bearer ", rand(ALNUM, 40), "\" https://api.acme.io", "secret.http.authorization")
secret("card number", "Charge card ", "4111 1111 1111 1111", " for $20.", "secret.payment_card")
secret("card number without separators", "PAN=", "5555555555554444", ";", "secret.payment_card")
secret("unicode around a token", "Voilà — la clé est ", "ghp_" + rand(ALNUM, 36), " ✓ merci", "secret.github.token")
keep("aws documentation example key", "The docs use AKIAIOSFODNN7EXAMPLE as the access key id.")
keep("placeholder github token", "export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
keep("your key here", "Set OPENAI_API_KEY=<your-key> or api_key = \"your_api_key_here\".")
keep("variable reference", "password = \"${DB_PASSWORD}\"")
keep("sk- inside prose", "Use sk-learn for a task-based risk-free baseline.")
keep("bad luhn", "Order 4111 1111 1111 1112 shipped.")
keep("pem placeholder", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----")
keep("url without credentials", "See https://example.com/docs?page=2 and http://localhost:8080/.")
keep("the word token in prose", "A token: the unit a model reads. Tokens are counted per request.")
keep("markdown rule and headings", "# Title\n\n---\n\n## Section\n\nText with - dashes -- and --- rules.")
keep("short digits", "Call 555-0100 or see RFC 9110, section 11.6.2.")
keep("hex hash", "sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
keep("uuid request id", "request_id=3fa85f64-5717-4562-b3fc-2c963f66afa6")
# Real-looking ids whose random body happens to hold a placeholder word: only the exact
# documentation examples and bodies that are entirely a placeholder are left alone.
secret("aws key id whose body holds a marker word", "Your key is ", "AKIAW7QT6DUMMYLRVPD3", " (keep it safe).", "secret.aws.access_key_id")
secret("github token whose body holds a marker word", "export GITHUB_TOKEN=", "ghp_Zq3kT9vLm2XwINSERTc4Hn6Jp1Qs5Dt7Fg0K", "\n", "secret.github.token")
keep("aws key id entirely a placeholder", "export AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX")
keep("stripe key your key here", "Stripe: sk_test_YOURSECRETKEYHERE")
# A private-key block is one secret whatever its line ends (CRLF, bare CR, U+2028, NEL) or
# indentation: masked whole, for every key type.
KEY_TYPES = [
    ("RSA PRIVATE KEY", "rsa"),
    ("EC PRIVATE KEY", "ec"),
    ("DSA PRIVATE KEY", "dsa"),
    ("OPENSSH PRIVATE KEY", "openssh"),
    ("PRIVATE KEY", "pkcs8"),
    ("ENCRYPTED PRIVATE KEY", "encrypted"),
    ("PGP PRIVATE KEY BLOCK", "pgp"),
]
LINE_ENDS = [("crlf", "\r\n", ""), ("cr", "\r", ""), ("u2028", "\u2028", ""), ("nel", "\u0085", ""),
             ("indented", "\n", "    "), ("crlf indented", "\r\n", "\t")]
for label, rule in KEY_TYPES:
    for name, eol, indent in LINE_ENDS:
        body = eol.join(indent + rand(B64, 64) for _ in range(3))
        block = f"-----BEGIN {label}-----{eol}{body}{eol}{indent}-----END {label}-----"
        secret(f"{rule} private key, {name} line ends", f"key:{eol}{indent}", block, f"{eol}done.", f"secret.private_key.{rule}")
# Repeated BEGIN lines with no key material between them are not a key (and cost one pass).
keep("repeated private key headers", "-----BEGIN RSA PRIVATE KEY-----\n" * 40)
keep("repeated private key headers, crlf", "-----BEGIN RSA PRIVATE KEY-----\r\n" * 40)
# A key after a stray BEGIN line is still masked, from its own BEGIN line.
stray = "-----BEGIN RSA PRIVATE KEY-----\n"
secret("key after a stray header", "x\n" + stray, pem("RSA PRIVATE KEY"), "\nok", "secret.private_key.rsa")
# A long run of digit groups (a card-number-like run costs one pass): a number longer than 19
# digits is not a card; the card that ends the run is.
secret("card at the end of a run of digit groups", "Numbers: " + "1234 " * 60, "4111 1111 1111 1111", ".", "secret.payment_card")
keep("run of short digit groups", "Codes: " + "12 34 56 78 " * 100)
for c in cases:
    print(json.dumps(c, ensure_ascii=False))

#!/usr/bin/python3
"""Reads a mail as the SMTP server received it and checks it strictly.

    mail_check.py FILE.eml

Parses with Python's email package under policy=email.policy.strict (which
raises on a message defect) and refuses any header defect too, any header
line over 78 characters or a bare LF, and a List-Unsubscribe that is not a
comma-separated list of <URI>s (RFC 2369) or whose List-Unsubscribe-Post
is not the one RFC 8058 names, or comes without an https URI. Then prints
each List-Unsubscribe URI on a line of its own, and "post: VALUE" when the
mail has List-Unsubscribe-Post, for the shell test to compare.
Exit 1 with the reason on standard error when a check fails.
"""
import email
import email.policy
import re
import sys

URI = re.compile(r"<([^<>\s,]+)>")


def fail(why):
    print("mail_check: " + why, file=sys.stderr)
    sys.exit(1)


def main():
    raw = open(sys.argv[1], "rb").read()
    head = raw.split(b"\r\n\r\n", 1)[0]
    if re.search(rb"(?<!\r)\n", raw):
        fail("a bare LF")
    for line in head.split(b"\r\n"):
        if len(line) > 78:
            fail("a header line of %d characters: %r" % (len(line), line))
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.strict)
    except Exception as e:  # strict raises on a message defect
        fail("the parser refused it: %s" % e)
    if msg.defects:
        fail("message defects: %r" % msg.defects)
    for name in msg.keys():
        if msg[name].defects:
            fail("%s: %r" % (name, msg[name].defects))
    values = msg.get_all("List-Unsubscribe") or []
    if len(values) != 1:
        fail("%d List-Unsubscribe headers" % len(values))
    value = str(values[0]).strip()
    if not re.fullmatch(r"<[^<>\s,]+>(\s*,\s*<[^<>\s,]+>)*", value):
        fail("List-Unsubscribe is not a list of <URI>: %r" % value)
    uris = URI.findall(value)
    posts = msg.get_all("List-Unsubscribe-Post") or []
    if posts:
        if len(posts) != 1 or str(posts[0]).strip() != "List-Unsubscribe=One-Click":
            fail("List-Unsubscribe-Post: %r" % posts)
        if not any(u.startswith("https://") for u in uris):
            fail("List-Unsubscribe-Post without an https URI")
    for u in uris:
        print(u)
    for p in posts:
        print("post: " + str(p).strip())


main()

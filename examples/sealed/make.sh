#!/usr/bin/env bash
# Builds a sealed review repository from examples/acme: sealing on, every person given
# the THROW-AWAY key in examples/sealed/keys/ (plus a `ci` person who reads everything),
# and every review file sealed through Evident's git filter and committed.
#
#   examples/sealed/make.sh <new folder>       (evident on PATH, or EVIDENT=/path/to/evident)
#
# A git repository cannot be committed inside another, so this script is what the
# project keeps. docs/sealing.md ("Try it") shows how to clone the result as different
# people; Tests/EvidentCommandsTests/SealedExampleTests.swift runs those commands.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
evident=${EVIDENT:-evident}
if [ $# -ne 1 ]; then
    echo "usage: $0 <new folder>" >&2
    exit 2
fi
target=$1
if [ -e "$target" ]; then
    echo "$0: $target already exists; name a new folder" >&2
    exit 2
fi
command -v "$evident" >/dev/null || { echo "$0: $evident not found; put evident on PATH or set EVIDENT" >&2; exit 2; }

mkdir -p "$(dirname "$target")"
cp -R "$here/../acme" "$target"
cd "$target"
printf '\nsealing:\n  enabled: true\n' >> evident.yaml
cat >> people.yaml <<'YAML'

  - id: ci
    name: Continuous integration
    email: ci@acme.example
    level: eng-2
    team: platform
    manager: omar
    roles: [ci]
YAML
# Each person's public key under their `- id:` line: the keys files are sealed to.
for pub in "$here"/keys/*.pub; do
    id=$(basename "$pub" .pub)
    key=$(cut -d' ' -f1,2 "$pub")
    awk -v id="$id" -v key="$key" '{ print } $0 == "  - id: " id { print "    signing_key: \"" key "\"" }' \
        people.yaml > people.yaml.new
    mv people.yaml.new people.yaml
done

git init -q -b main
# Sealing needs only public keys; the identity lets this clone's filter open what it stored.
git config evident.identity "$here/keys/ci"
"$evident" seal setup >/dev/null
git add -A
git -c user.name="Evident example" -c user.email=example@acme.example commit -q -m "Acme, sealed"
echo "made $target: review files sealed to their readers' throw-away keys"

#!/usr/bin/env bash
# make_ca.sh DIR - test certificates for fake_graph.py.
#
# Creates in DIR (EC P-256 keys):
#   ca.pem, ca.key                  the test CA the client is told to trust
#   server.pem, server.key          signed by ca.pem
#   other-ca.pem, other-ca.key      an unrelated CA
#   other-server.pem, other-server.key  signed by other-ca.pem
# Both server certificates carry subjectAltName IP:127.0.0.1, IP:::1,
# DNS:localhost. Running it again on a complete, valid DIR changes nothing.
# Quiet on success; on failure prints openssl's messages and exits non-zero.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: make_ca.sh DIR" >&2
    exit 2
fi
dir=$1
files=(ca.pem ca.key server.pem server.key
       other-ca.pem other-ca.key other-server.pem other-server.key)

complete() {
    local f
    for f in "${files[@]}"; do
        [ -s "$dir/$f" ] || return 1
    done
    openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem" >/dev/null 2>&1 &&
        openssl verify -CAfile "$dir/other-ca.pem" "$dir/other-server.pem" \
            >/dev/null 2>&1
}

write_config() {
    cat >"$1" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, IP:::1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
}

new_key() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
}

# make_pair WORK PREFIX CA_NAME: PREFIX-ca.* and PREFIX-server.* in WORK.
make_pair() {
    local work=$1 p=$2 name=$3
    new_key "$work/${p}ca.key"
    openssl req -config "$work/openssl.cnf" -new -x509 -sha256 -days 3650 \
        -key "$work/${p}ca.key" -subj "/CN=$name" \
        -extensions ca_ext -out "$work/${p}ca.pem"
    new_key "$work/${p}server.key"
    openssl req -config "$work/openssl.cnf" -new -sha256 \
        -key "$work/${p}server.key" -subj "/CN=localhost" \
        -out "$work/${p}server.csr"
    openssl x509 -req -sha256 -days 825 -in "$work/${p}server.csr" \
        -CA "$work/${p}ca.pem" -CAkey "$work/${p}ca.key" \
        -set_serial "0x$(openssl rand -hex 12)" \
        -extfile "$work/openssl.cnf" -extensions server_ext \
        -out "$work/${p}server.pem"
}

generate() {
    local work=$1 f
    write_config "$work/openssl.cnf"
    make_pair "$work" "" "fbvault test CA"
    make_pair "$work" "other-" "fbvault other test CA"
    chmod 600 "$work"/*.key
    for f in "${files[@]}"; do
        mv -f "$work/$f" "$dir/$f"
    done
}

mkdir -p "$dir"
complete && exit 0
work=$(mktemp -d "$dir/.make_ca.XXXXXX")
trap 'rm -rf "$work"' EXIT
if ! generate "$work" >"$work/openssl.log" 2>&1; then
    echo "make_ca.sh: openssl failed:" >&2
    cat "$work/openssl.log" >&2
    exit 1
fi
complete || { echo "make_ca.sh: generated certificates do not verify" >&2; exit 1; }

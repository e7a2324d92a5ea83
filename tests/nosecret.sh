# A build without libsecret (-Dlibsecret=disabled, FBVAULT_BIN pointing at
# it): the keyring commands say so clearly, everything else works (.ci/run
# then runs tests/core.sh against the same binary).
. "$(dirname "$0")/lib.sh"
new_vault
echo v | fbv put x || exit 1
s=$(snapshot)
expect 69 "keyring enable without libsecret" -- fbv keyring enable
err_has "built without desktop keyring support"
expect 69 "keyring disable without libsecret" -- fbv keyring disable
unchanged "$s" "keyring commands without libsecret"
expect 0 "keyring status without libsecret" -- fbv keyring status
check "status says not built" -- grep -q "secret service: not built" "$T/out"
expect 0 "get works" -- fbv get x
expect 0 "unlock works" -- fbv unlock --for 1m
expect 0 "lock works" -- fbv lock
finish

/* bench/kdf: the key derivation of a passphrase unlock and nothing else,
 * for bench/run's cold `get` (a locked vault, the passphrase from a file):
 * one Argon2id (crypto_pwhash) with the salt, opslimit and memlimit of the
 * vault's passphrase slot, on the passphrase's first line.
 *
 *   kdf VAULT PASSFILE
 *
 * It reads the (small) vault as `get` does, to find the parameters; the
 * passphrase comes from a 0600 file, never argv. Not installed; built by
 * meson with -Dbench=true (bench/meson.build). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/errors.h"
#include "crypto/errors.h"
#include "vault/io.h"
#include "vault/vault.h"

int
main(int argc, char **argv)
{
	unsigned char *kek = NULL;
	struct vault *v = NULL;
	struct sbuf pass;
	char *nl;
	int fd = -1, r;

	if (argc != 3 || sodium_init() < 0)
		return 64;
	sbuf_init(&pass, 1024);
	if ((r = vault_load(argv[1], &v)) != FBV_OK)
		goto out;
	if ((fd = open(argv[2], O_RDONLY | O_CLOEXEC)) < 0) {
		r = FBV_ERR_SYSTEM;
		goto out;
	}
	if ((r = fd_read_sbuf(fd, &pass)) != FBV_OK || (r = sbuf_put_u8(&pass, 0)) != FBV_OK)
		goto out;
	if ((nl = strchr((char *)pass.data, '\n')) != NULL)
		*nl = '\0';
	if ((kek = secret_alloc(FBV_KEY_BYTES)) == NULL) {
		r = FBV_ERR_NOMEM;
		goto out;
	}
	r = vault_passphrase_kek(v, (const char *)pass.data, strlen((char *)pass.data), kek);
out:
	if (fd >= 0)
		close(fd);
	secret_free(kek);
	sbuf_free(&pass);
	vault_free(v);
	if (r == FBV_OK)
		return 0;
	fprintf(stderr, "kdf: %s: %s\n", argv[1], fbv_strerror(r));
	return 1;
}

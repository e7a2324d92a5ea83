/* A module planted beside an installed fbvault: if it is ever loaded, its
 * constructor leaves a mark in $PLANTED_MARK. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void
planted(void)
{
	const char *mark = getenv("PLANTED_MARK");

	if (mark != NULL)
		close(open(mark, O_WRONLY | O_CREAT, 0600));
}

const int fbvault_http_ops = 2;

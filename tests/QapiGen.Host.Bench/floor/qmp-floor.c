/*
 * The benchmark's floor: the least a QMP server over a unix socket can do. It serves one
 * client at a time, sends a fixed greeting, and answers every input line with a fixed reply,
 * without parsing anything. Compiled by the benchmark with the system's cc at run time.
 *
 *   qmp-floor SOCKET_PATH
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char greeting[] =
    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 0, \"major\": 0}, \"package\": \"floor\"}, \"capabilities\": []}}\r\n";
static const char reply[] = "{\"return\": {}}\r\n";

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SOCKET_PATH\n", argv[0]);
        return 2;
    }
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    strncpy(addr.sun_path, argv[1], sizeof(addr.sun_path) - 1);
    unlink(argv[1]);
    if (bind(listener, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(listener, 16) < 0) {
        perror("bind/listen");
        return 1;
    }
    static char in[65536];
    static char out[65536 * sizeof(reply)];
    for (;;) {
        int client = accept(listener, NULL, NULL);
        if (client < 0) {
            if (errno == EINTR) continue;
            return 1;
        }
        if (write_all(client, greeting, sizeof(greeting) - 1) < 0) {
            close(client);
            continue;
        }
        for (;;) {
            ssize_t n = read(client, in, sizeof(in));
            if (n <= 0) break;
            /* One reply per newline; replies to one read go out in one write, as a server
               that batches its output would. */
            size_t len = 0;
            for (ssize_t i = 0; i < n; i++) {
                if (in[i] == '\n') {
                    memcpy(out + len, reply, sizeof(reply) - 1);
                    len += sizeof(reply) - 1;
                }
            }
            if (len > 0 && write_all(client, out, len) < 0) break;
        }
        close(client);
    }
}

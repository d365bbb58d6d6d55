/*
 * The benchmark's second client: sequential round trips from C, for a cross-check of the
 * sequential rows with a client that costs next to nothing (the benchmark's own client is
 * .NET). Connects, negotiates, then sends COMMAND and waits for its reply, again and again,
 * for SECONDS; prints the round trips per second. Compiled by the benchmark with cc.
 *
 *   qmp-seq-client SOCKET_PATH COMMAND SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static char in[65536];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Reads until the input ends with a newline: one reply, as the client waits for each. */
static int read_reply(int fd)
{
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, in + n, sizeof(in) - n);
        if (r <= 0) return -1;
        n += (size_t)r;
        if (in[n - 1] == '\n') return 0;
        if (n == sizeof(in)) n = 0; /* a huge reply: keep only its end */
    }
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s SOCKET_PATH COMMAND SECONDS\n", argv[0]);
        return 2;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    strncpy(addr.sun_path, argv[1], sizeof(addr.sun_path) - 1);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        perror("connect");
        return 1;
    }
    static const char negotiate[] = "{\"execute\":\"qmp_capabilities\"}\n";
    char request[256];
    int len = snprintf(request, sizeof(request), "{\"execute\":\"%s\"}\n", argv[2]);
    if (len <= 0 || (size_t)len >= sizeof(request) || read_reply(fd) < 0
        || send_all(fd, negotiate, sizeof(negotiate) - 1) < 0 || read_reply(fd) < 0) {
        fprintf(stderr, "negotiation failed\n");
        return 1;
    }
    double seconds = atof(argv[3]);
    long done = 0;
    double start = now(), elapsed;
    do {
        for (int i = 0; i < 64; i++) {
            if (send_all(fd, request, (size_t)len) < 0 || read_reply(fd) < 0) {
                fprintf(stderr, "connection lost\n");
                return 1;
            }
        }
        done += 64;
        elapsed = now() - start;
    } while (elapsed < seconds);
    printf("%.0f\n", done / elapsed);
    return 0;
}

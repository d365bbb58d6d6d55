/* exec-to-greeting: start a QMP server on a fresh unix socket, connect as soon as the socket
 * accepts, read the greeting line, then SIGKILL the server (its shutdown is not part of the
 * figure). Built with `cc -O2 -o exec-to-greeting exec-to-greeting.c` and run under hyperfine:
 *
 *   exec-to-greeting SOCKET-PATH PROGRAM [ARGS...]
 *
 * An @ in an argument stands for SOCKET-PATH (e.g. -qmp unix:@,server=on,wait=off). Exit 0 once a line starting with
 * {"QMP" arrived; 1 on any failure (the server exited, no greeting within 60 s). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s SOCKET-PATH PROGRAM [ARGS...]\n", argv[0]);
        return 2;
    }
    const char *path = argv[1];
    for (int i = 2; i < argc; i++) {
        char *at = strchr(argv[i], '@');
        if (at && asprintf(&argv[i], "%.*s%s%s", (int)(at - argv[i]), argv[i], path, at + 1) < 0)
            return 2;
    }
    unlink(path);

    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
    double deadline = now() + 60;
    int status = 1;
    for (;;) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
            char buf[4096];
            size_t got = 0;
            while (got < sizeof buf - 1) {
                ssize_t n = read(fd, buf + got, sizeof buf - 1 - got);
                if (n <= 0)
                    break;
                got += (size_t)n;
                if (memchr(buf, '\n', got))
                    break;
            }
            buf[got] = 0;
            status = strncmp(buf, "{\"QMP\"", 6) == 0 ? 0 : 1;
            if (status)
                fprintf(stderr, "not a greeting: %s\n", buf);
            close(fd);
            break;
        }
        close(fd);
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            fprintf(stderr, "%s exited before greeting\n", argv[2]);
            unlink(path);
            return 1;
        }
        if (now() > deadline) {
            fprintf(stderr, "no greeting within 60 s\n");
            break;
        }
        usleep(200);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    unlink(path);
    return status;
}

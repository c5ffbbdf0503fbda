/*
 * pause is the process that holds a pod sandbox's namespaces open. It sleeps
 * until it is told to stop, and as PID 1 of the pod it reaps the children
 * that are re-parented to it. Built with `gcc -static` by build.sh, because
 * the sandbox image has nothing else in it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int sig)
{
	(void)sig;
	_exit(0);
}

static void reap(int sig)
{
	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0) {
	}
}

static void on(int sig, void (*handler)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	if (sigaction(sig, &sa, NULL) < 0) {
		perror("pause: sigaction");
		exit(1);
	}
}

int main(void)
{
	if (getpid() != 1) {
		fprintf(stderr, "pause: warning: not running as PID 1\n");
	}

	/* PID 1 gets no default signal handling: stop only when asked to. */
	on(SIGINT, stop, 0);
	on(SIGTERM, stop, 0);
	on(SIGCHLD, reap, SA_NOCLDSTOP | SA_RESTART);

	for (;;) {
		pause();
	}
}

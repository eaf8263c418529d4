/*
 * Bench helpers, compiled by bench/run with gcc -O2.
 *
 *   helpers tm OUT [-i INPUT] [-r DIR] -- CMD ARGS...
 *       fork, exec CMD (stdin from INPUT if given), wait; append the wall time
 *       and the CPU time (user + system, of CMD and its children) in
 *       microseconds to OUT as "WALL CPU"; exit with CMD's status. -r DIR: first
 *       (untimed) enter a private mount namespace with an empty tmpfs on DIR,
 *       so that CMD's state files there (apkgen-bootcheck's /run/apkgen) are
 *       fresh for each run and never touch the host's. The same measurement
 *       as hyperfine -N, one run at a time, so bench/run can interleave the
 *       alternatives and prepare the state before each run.
 *
 *   helpers exec CMD ARGS...
 *       only execv CMD: the cost of one exec, the least any wrapper of apk adds.
 *
 *   helpers space OUT DIR N
 *       N times, time (wall and CPU, in microseconds, appended to OUT as "WALL
 *       CPU") the system calls of apkgen's free-space check before a change
 *       (LinuxBtrfsSpace.Usage): open DIR, BTRFS_IOC_SPACE_INFO, BTRFS_IOC_FS_INFO,
 *       BTRFS_IOC_DEV_INFO for every device id, close. Wall times below 1 us
 *       are written with three decimals.
 *
 *   helpers mkgens TOP K [INI]
 *       make K generations nothing references, cheaply, in one process:
 *       read-only snapshots TOP/snapshots/<id>/@ of TOP/current/0/@ (with a
 *       copy of INI as generation.ini if given) and for each a links
 *       directory TOP/links/<lid>/0..3 naming it (not current).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


static void die(const char *what, const char *path)
{
	fprintf(stderr, "helpers: %s %s: %s\n", what, path ? path : "", strerror(errno));
	exit(1);
}

static int tm(int argc, char **argv)
{
	if (argc < 4) return 2;
	const char *out = argv[2], *input = NULL;
	int i = 3;
	if (strcmp(argv[i], "-i") == 0) {
		input = argv[i + 1];
		i += 2;
	}
	if (strcmp(argv[i], "-r") == 0) {
		const char *dir = argv[i + 1];
		i += 2;
		mkdir(dir, 0755);
		if (unshare(CLONE_NEWNS) != 0) die("unshare", NULL);
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) die("make private", "/");
		if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) die("mount tmpfs", dir);
	}
	if (strcmp(argv[i], "--") == 0) i++;
	int in = -1;
	if (input && (in = open(input, O_RDONLY | O_CLOEXEC)) < 0) die("open", input);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid_t pid = fork();
	if (pid < 0) die("fork", NULL);
	if (pid == 0) {
		if (in >= 0) dup2(in, 0);
		execvp(argv[i], argv + i);
		fprintf(stderr, "helpers: exec %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	int st;
	struct rusage ru;
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR) die("wait4", NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long us = (b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000;
	/* wait4's rusage is the child's own plus that of the descendants it reaped */
	long cpu = ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
	FILE *f = fopen(out, "a");
	if (!f) die("open", out);
	fprintf(f, "%ld %ld\n", us, cpu);
	fclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void new_id(char out[23], unsigned seq)
{
	/* Distinct, ordered, in the seed's form: yyyyMMddHHmmss + 8 letters. */
	static const char *abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 15, "%Y%m%d%H%M%S", &tm);
	unsigned r = (unsigned)getpid() * 2654435761u;
	for (int i = 7; i >= 0; i--) {
		unsigned v = i >= 4 ? seq : r;
		int shift = (i % 4) * 6;
		out[14 + i] = abc[((v >> shift) ^ (i < 4 ? 0 : (r >> shift))) % 52];
	}
	out[22] = 0;
}

static int mkgens(int argc, char **argv)
{
	if (argc < 4) return 2;
	const char *top = argv[2], *ini = argc > 4 ? argv[4] : NULL;
	int k = atoi(argv[3]);
	char p[4096], q[4200], id[23], lid[23];
	static char inibuf[65536];
	ssize_t inilen = 0;
	if (ini) {
		int fd = open(ini, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || (inilen = read(fd, inibuf, sizeof inibuf)) < 0) die("read", ini);
		close(fd);
	}
	snprintf(p, sizeof p, "%s/current/0/@", top);
	int src = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (src < 0) die("open", p);
	static unsigned seq;
	for (int g = 0; g < k; g++) {
		/* a fresh id: retry until the directory is new */
		for (;;) {
			new_id(id, seq++);
			snprintf(p, sizeof p, "%s/snapshots/%s", top, id);
			if (mkdir(p, 0755) == 0) break;
			if (errno != EEXIST) die("mkdir", p);
		}
		int dir = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir < 0) die("open", p);
		struct btrfs_ioctl_vol_args_v2 args;
		memset(&args, 0, sizeof args);
		args.fd = src;
		args.flags = BTRFS_SUBVOL_RDONLY;
		strcpy(args.name, "@");
		if (ioctl(dir, BTRFS_IOC_SNAP_CREATE_V2, &args) != 0) die("snapshot", p);
		close(dir);
		if (ini) {
			snprintf(q, sizeof q, "%s/generation.ini", p);
			int fd = open(q, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			if (fd < 0 || write(fd, inibuf, inilen) != inilen) die("write", q);
			close(fd);
		}
		for (;;) {
			new_id(lid, seq++);
			snprintf(p, sizeof p, "%s/links/%s", top, lid);
			if (mkdir(p, 0755) == 0) break;
			if (errno != EEXIST) die("mkdir", p);
		}
		snprintf(q, sizeof q, "../../snapshots/%s", id);
		for (int s = 0; s < 4; s++) {
			snprintf(p, sizeof p, "%s/links/%s/%d", top, lid, s);
			if (symlink(q, p) != 0) die("symlink", p);
		}
	}
	close(src);
	return 0;
}

static double cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1e6 + ru.ru_stime.tv_usec;
}

static int space(int argc, char **argv)
{
	if (argc != 5) return 2;
	FILE *out = fopen(argv[2], "a");
	if (!out) { perror(argv[2]); return 1; }
	int n = atoi(argv[4]);
	for (int i = 0; i < n; i++) {
		struct timespec a, b;
		double c0 = cpu_us();
		clock_gettime(CLOCK_MONOTONIC, &a);
		int fd = open(argv[3], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) { perror(argv[3]); return 1; }
		struct { struct btrfs_ioctl_space_args args; struct btrfs_ioctl_space_info spaces[16]; } sp;
		memset(&sp, 0, sizeof sp);
		sp.args.space_slots = 16;
		struct btrfs_ioctl_fs_info_args fi;
		memset(&fi, 0, sizeof fi);
		if (ioctl(fd, BTRFS_IOC_SPACE_INFO, &sp) != 0 || ioctl(fd, BTRFS_IOC_FS_INFO, &fi) != 0) { perror("ioctl"); return 1; }
		for (__u64 id = 1; id <= fi.max_id; id++) {
			struct btrfs_ioctl_dev_info_args di;
			memset(&di, 0, sizeof di);
			di.devid = id;
			ioctl(fd, BTRFS_IOC_DEV_INFO, &di);
		}
		close(fd);
		clock_gettime(CLOCK_MONOTONIC, &b);
		double wall = (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3;
		fprintf(out, "%.3f %.3f\n", wall, cpu_us() - c0);
	}
	fclose(out);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "space") == 0) return space(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "tm") == 0) return tm(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "mkgens") == 0) return mkgens(argc, argv);
	if (argc >= 3 && strcmp(argv[1], "exec") == 0) {
		execv(argv[2], argv + 2);
		perror(argv[2]);
		return 127;
	}
	fprintf(stderr, "usage: helpers tm OUT [-i INPUT] -- CMD...\n       helpers mkgens TOP K [INI]\n       helpers exec CMD...\n");
	return 2;
}

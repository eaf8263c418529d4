/*
 * The syscall floor of one apkgen transaction: the same btrfs work as
 * `apkgen exec -- /bin/touch /etc/FILE`, done by raw syscalls in one process,
 * with nothing apkgen does for safety or reporting beyond the two syncs.
 *
 *   floor DEVICE MOUNTPOINT FILE [--apkgen-syncs] [--exec-change]
 *
 * unshare a private mount namespace, mount the top level (subvolid=5),
 * snapshot current/0/@ to snapshots/<id>/@ (rw), write its etc/fstab from the
 * template, create etc/FILE (the change), set the snapshot read-only,
 * make links/<lid>/0..3 (0 = new, 1..3 = old 0..2), next/current,
 * syncfs, rename next/current over current, syncfs, unmount.
 *
 * --apkgen-syncs adds the durability steps apkgen takes beyond the floor, to
 * split apkgen's overhead into "more commits" and "everything else": a syncfs
 * and GET_SUBVOL_INFO after etc/fstab (the change-detection baseline), the
 * same after the change, and generation.ini written as apkgen's AtomicFile
 * does (temporary file, fsync, rename, fsync of the directory).
 *
 * --exec-change runs the change as apkgen must, as a chrooted process (fork,
 * chroot(2), exec /bin/touch /etc/FILE, wait), instead of creating the file
 * in-process.
 *
 * The ioctls and their structures come from linux/btrfs.h (as in src/Core/Linux/Native.cs).
 * Compiled by bench/run with gcc -O2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


static const char *mnt;

static void die(const char *what, const char *path)
{
	fprintf(stderr, "floor: %s %s: %s\n", what, path ? path : "", strerror(errno));
	exit(1);
}

static void at(char *buf, size_t n, const char *fmt, const char *a, const char *b)
{
	char rel[1024];
	snprintf(rel, sizeof rel, fmt, a, b);
	snprintf(buf, n, "%s/%s", mnt, rel);
}

static void new_id(char out[23])
{
	time_t t = time(NULL);
	struct tm tm;
	unsigned char r[8];
	gmtime_r(&t, &tm);
	strftime(out, 15, "%Y%m%d%H%M%S", &tm);
	if (getrandom(r, sizeof r, 0) != sizeof r) die("getrandom", NULL);
	for (int i = 0; i < 8; i++) {
		int c = r[i] % 52;
		out[14 + i] = c < 26 ? 'A' + c : 'a' + c - 26;
	}
	out[22] = 0;
}

/* syncfs, then the snapshot's tree generation (apkgen's change detection) */
static void sync_and_info(const char *id)
{
	char p[4096];
	static struct btrfs_ioctl_get_subvol_info_args info;
	at(p, sizeof p, "snapshots/%s/@", id, "");
	int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) die("open", p);
	if (syncfs(fd) != 0) die("syncfs", p);
	if (ioctl(fd, BTRFS_IOC_GET_SUBVOL_INFO, &info) < 0) die("subvolume info", p);
	close(fd);
}

int main(int argc, char **argv)
{
	int extra = 0, exec_change = 0;
	for (int i = 4; i < argc; i++) {
		if (strcmp(argv[i], "--apkgen-syncs") == 0) extra = 1;
		else if (strcmp(argv[i], "--exec-change") == 0) exec_change = 1;
		else argc = 0;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: floor DEVICE MOUNTPOINT FILE [--apkgen-syncs] [--exec-change]\n");
		return 2;
	}
	const char *dev = argv[1], *file = argv[3];
	mnt = argv[2];
	char p[4096], q[4096], cur[256], slot[3][256], id[23], lid[23];

	if (unshare(CLONE_NEWNS) != 0) die("unshare", NULL);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) die("make private", "/");
	mkdir(mnt, 0755);
	if (mount(dev, mnt, "btrfs", MS_NOATIME, "subvolid=5") != 0) die("mount", dev);

	/* current -> ./links/<lid>; slots 0..2 of it become 1..3 */
	at(p, sizeof p, "current", "", "");
	ssize_t n = readlink(p, cur, sizeof cur - 1);
	if (n < 0) die("readlink", p);
	cur[n] = 0;
	for (int i = 0; i < 3; i++) {
		char num[4];
		snprintf(num, sizeof num, "%d", i);
		at(p, sizeof p, "current/%s%s", num, "");
		n = readlink(p, slot[i], sizeof slot[i] - 1);
		if (n < 0) die("readlink", p);
		slot[i][n] = 0;
	}

	/* snapshot current/0/@ -> snapshots/<id>/@ */
	new_id(id);
	at(p, sizeof p, "snapshots/%s%s", id, "");
	if (mkdir(p, 0755) != 0) die("mkdir", p);
	int dirfd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) die("open", p);
	at(q, sizeof q, "current/0/@", "", "");
	int srcfd = open(q, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (srcfd < 0) die("open", q);
	struct btrfs_ioctl_vol_args_v2 args;
	memset(&args, 0, sizeof args);
	args.fd = srcfd;
	strcpy(args.name, "@");
	if (ioctl(dirfd, BTRFS_IOC_SNAP_CREATE_V2, &args) != 0) die("snapshot", p);
	close(srcfd);
	close(dirfd);

	/* etc/fstab from the template */
	static char tmpl[65536], out[65536];
	at(p, sizeof p, "fstab", "", "");
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0) die("open", p);
	n = read(fd, tmpl, sizeof tmpl - 1);
	if (n < 0) die("read", p);
	tmpl[n] = 0;
	close(fd);
	char snaps[64];
	snprintf(snaps, sizeof snaps, "/snapshots/%s", id);
	size_t o = 0;
	for (char *s = tmpl; *s;) {
		char *m = strstr(s, "CURRENT_SNAPSHOTS_PATH");
		size_t k = m ? (size_t)(m - s) : strlen(s);
		memcpy(out + o, s, k);
		o += k;
		s += k;
		if (m) {
			memcpy(out + o, snaps, strlen(snaps));
			o += strlen(snaps);
			s += strlen("CURRENT_SNAPSHOTS_PATH");
		}
	}
	at(p, sizeof p, "snapshots/%s/@/etc/fstab", id, "");
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, out, o) != (ssize_t)o) die("write", p);
	close(fd);

	if (extra) sync_and_info(id);

	/* the change */
	if (exec_change) {
		at(p, sizeof p, "snapshots/%s/@", id, "");
		snprintf(q, sizeof q, "/etc/%s", file);
		pid_t pid = fork();
		if (pid < 0) die("fork", NULL);
		if (pid == 0) {
			if (chroot(p) != 0 || chdir("/") != 0) _exit(126);
			execl("/bin/touch", "/bin/touch", q, (char *)NULL);
			_exit(127);
		}
		int st;
		if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) die("change", q);
	} else {
		at(p, sizeof p, "snapshots/%s/@/etc/%s", id, file);
		fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0) die("create", p);
		close(fd);
	}

	if (extra) {
		sync_and_info(id);
		/* generation.ini as AtomicFile writes it */
		char ini[4096];
		at(p, sizeof p, "snapshots/%s/.generation.ini.tmp", id, "");
		at(ini, sizeof ini, "snapshots/%s/generation.ini", id, "");
		fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		static const char text[] = "[generation]\nid = x\n[boot]\nstate = pending\n";
		if (fd < 0 || write(fd, text, sizeof text - 1) != sizeof text - 1 || fsync(fd) != 0) die("write", p);
		close(fd);
		if (rename(p, ini) != 0) die("rename", p);
		at(p, sizeof p, "snapshots/%s%s", id, "");
		fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) != 0) die("fsync", p);
		close(fd);
	}

	/* read-only */
	at(p, sizeof p, "snapshots/%s/@", id, "");
	fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) die("open", p);
	uint64_t flags;
	if (ioctl(fd, BTRFS_IOC_SUBVOL_GETFLAGS, &flags) != 0) die("getflags", p);
	flags |= BTRFS_SUBVOL_RDONLY;
	if (ioctl(fd, BTRFS_IOC_SUBVOL_SETFLAGS, &flags) != 0) die("setflags", p);
	close(fd);

	/* links/<lid>/0..3 */
	new_id(lid);
	at(p, sizeof p, "links/%s%s", lid, "");
	if (mkdir(p, 0755) != 0) die("mkdir", p);
	snprintf(q, sizeof q, "../../snapshots/%s", id);
	at(p, sizeof p, "links/%s/0", lid, "");
	if (symlink(q, p) != 0) die("symlink", p);
	for (int i = 0; i < 3; i++) {
		char num[4];
		snprintf(num, sizeof num, "%d", i + 1);
		at(p, sizeof p, "links/%s/%s", lid, num);
		if (symlink(slot[i], p) != 0) die("symlink", p);
	}

	/* next/current, syncfs, rename, syncfs */
	at(p, sizeof p, "next", "", "");
	mkdir(p, 0755);
	at(p, sizeof p, "next/current", "", "");
	unlink(p);
	snprintf(q, sizeof q, "./links/%s", lid);
	if (symlink(q, p) != 0) die("symlink", p);
	int top = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0) die("open", mnt);
	if (syncfs(top) != 0) die("syncfs", mnt);
	at(q, sizeof q, "current", "", "");
	if (rename(p, q) != 0) die("rename", p);
	if (syncfs(top) != 0) die("syncfs", mnt);
	close(top);

	if (umount2(mnt, 0) != 0) die("umount", mnt);
	(void)cur;
	return 0;
}

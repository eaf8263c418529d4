/*
 * apkgen's native entry point (CustomNativeMain in Hooks.csproj).
 *
 * Invoked as `apk` (the package's /usr/local/sbin/apk is a link to apkgen), a command line
 * that changes nothing (a read-only applet, help, version, another --root) is handed to the
 * real apk here, before the .NET runtime starts: a pass-through then costs one exec instead
 * of a runtime start (bench/run, "apk info through the wrapper"). Everything else, and every
 * doubt (an unreadable or unusual apkgen.conf, a failed exec), goes to the managed Main,
 * which decides with ApkCommandLine: that class is the reference, and this file classifies
 * exactly as it does (tests/Generations.Tests/ApkFrontTests.cs compares the two on every
 * case of ApkCommandLineTests and on generated command lines).
 *
 * Built with -DAPK_FRONT_LIBRARY, the file is only the classifier and the configuration
 * reader, for those tests (which also compare the reader with ConfText).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>
#include <unistd.h>

static int in(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

/* Same sets as ApkCommandLine. */
static const char *const mutating[] = { "add", "del", "upgrade", "fix", "convdb", NULL };
static const char *const lock_only[] = { "update", "cache", NULL };
static const char *const applets[] = {
	"add", "del", "fix", "update", "upgrade", "cache", "info", "list", "dot", "policy", "stats", "search",
	"fetch", "audit", "verify", "version", "index", "manifest", "convdb", "convndx", "query", "mkpkg",
	"mkndx", "extract", "adbdump", "adbgen", "adbsign", NULL,
};
static const char *const takes_value[] = {
	"-p", "--root", "-X", "--repository", "--arch", "--cache-dir", "--cache-max-age", "--keys-dir",
	"--repositories-file", "--timeout", "--wait", "--progress-fd", "--from", "--uvol-manager", "-t", "--virtual",
	"--preupgrade-depends", "--repository-config", NULL,
};

/* 1 if a --root value resolves to the live root, /. */
static int live_root(const char *root)
{
	char resolved[PATH_MAX];
	return realpath(root, resolved) && strcmp(resolved, "/") == 0;
}

/*
 * 0: a change (the managed side runs it in a snapshot); 1: apk's arguments (after `apk`)
 * change nothing on this system (ApkAction.PassThrough); 2: the same, and they read the
 * live root's database (a read-only applet without another --root: ApkCommandLine.ReadsLiveRoot).
 */
static int classify(int argc, char **argv)
{
	const char *applet = NULL, *root = NULL;
	int simulate = 0, help = 0, version = 0;
	char name[256];
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) == 0) {
			const char *eq = strchr(a, '=');
			size_t len = eq ? (size_t)(eq - a) : strlen(a);
			/* A longer name is no option apk has: it then matches none below. */
			if (len >= sizeof name)
				len = 0;
			memcpy(name, a, len);
			name[len] = '\0';
			const char *value = eq ? eq + 1 : NULL;
			if (!value && in(name, takes_value) && i + 1 < argc)
				value = argv[++i];
			if (strcmp(name, "--root") == 0)
				root = value;
			else if (strcmp(name, "--simulate") == 0)
				simulate = 1;
			else if (strcmp(name, "--help") == 0)
				help = 1;
			else if (strcmp(name, "--version") == 0)
				version = 1;
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			/* Clustered short options (-qU); -p, -X and -t take the rest or the next argument. */
			for (int j = 1; a[j]; j++) {
				char c = a[j];
				if (c == 'p' || c == 'X' || c == 't') {
					const char *value = a[j + 1] ? a + j + 1 : i + 1 < argc ? argv[++i] : NULL;
					if (c == 'p')
						root = value;
					break;
				}
				if (c == 's')
					simulate = 1;
				else if (c == 'h')
					help = 1;
				else if (c == 'V')
					version = 1;
			}
		}
	}
	/* apk's applet: the first argument not beginning with '-' that names one (deduce_applet). */
	for (int i = 0; i < argc && !applet; i++)
		if (argv[i][0] != '-' && in(argv[i], applets))
			applet = argv[i];
	if (root && !live_root(root))
		return 1; /* another root than /: not the live system */
	if (help || version || !applet)
		return 1;
	/* apk 2.14 and 3 drop the write open under --simulate: it only reads, like info. */
	if (simulate)
		return 2;
	return in(applet, mutating) || in(applet, lock_only) ? 0 : 2;
}

/* 1 if apk's arguments (after `apk`) change nothing on this system: ApkAction.PassThrough. */
int apk_front_passes_through(int argc, char **argv)
{
	return classify(argc, argv) != 0;
}

/* 1 if they read the live root's database: ApkCommandLine.ReadsLiveRoot. */
int apk_front_reads_live_root(int argc, char **argv)
{
	return classify(argc, argv) == 2;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/*
 * [apk] path of the configuration, as ApkHandler.RealApkPathFast reads it: "/sbin/apk" when
 * the file or the key is missing or empty. NULL when in doubt (a read error, a malformed
 * line, a byte outside printable ASCII but tab, a long file): the managed side then decides.
 * So only spaces and tabs are left to trim, and they are all .NET's Trim() would take here.
 * *device is set to [layout] device as written ("" when unset), for the switch marker.
 * conf is the file (APKGEN_CONFIG, else /etc/apkgen.conf: see apk_path).
 */
static const char *config_apk_path(const char *conf, char *buf, size_t size, const char **device)
{
	*device = "";
	FILE *f = fopen(conf, "re");
	if (!f)
		return errno == ENOENT ? "/sbin/apk" : NULL;
	/* A file root does not own, or its group or everyone may write, names what runs as root:
	 * the managed side refuses it (TrustedFile), saying why. */
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || (S_ISREG(st.st_mode) && ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & (S_IWGRP | S_IWOTH))))) {
		fclose(f);
		return NULL;
	}
	size_t n = fread(buf, 1, size - 1, f);
	int complete = feof(f) && !ferror(f);
	fclose(f);
	if (!complete)
		return NULL;
	buf[n] = '\0';
	if (memchr(buf, '\0', n))
		return NULL;
	const char *path = NULL;
	int in_apk = 0, in_layout = 0;
	for (char *line = buf, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0'; /* a CRLF file */
		for (char *p = line; *p; p++)
			if (((unsigned char)*p < 0x20 && *p != '\t') || (unsigned char)*p >= 0x7f)
				return NULL;
		char *s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			size_t len = strlen(s);
			if (s[len - 1] != ']')
				return NULL;
			s[len - 1] = '\0';
			in_apk = strcasecmp(trim(s + 1), "apk") == 0;
			in_layout = strcasecmp(trim(s + 1), "layout") == 0;
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq || eq == s)
			return NULL;
		*eq = '\0';
		char *key = trim(s);
		if (in_apk && strcasecmp(key, "path") == 0)
			path = trim(eq + 1);
		else if (in_layout && strcasecmp(key, "device") == 0)
			*device = trim(eq + 1);
	}
	return path && *path ? path : "/sbin/apk";
}

#ifdef APK_FRONT_LIBRARY

/*
 * For tests/Generations.Tests/ApkFrontTests.cs: what the front reads from the file at conf,
 * [apk] path into path_out and [layout] device into device_out. 0 when the front is in doubt
 * and leaves the decision to the managed side; 1 when it decided (then it must agree with
 * ApkHandler.RealApkPathFast and RealDeviceFast, which read with ConfText).
 */
int apk_front_config(const char *conf, char *path_out, size_t path_size, char *device_out, size_t device_size)
{
	static char buf[64 * 1024];
	const char *device;
	const char *path = config_apk_path(conf, buf, sizeof buf, &device);
	if (!path)
		return 0;
	snprintf(path_out, path_size, "%s", path);
	snprintf(device_out, device_size, "%s", device);
	return 1;
}

#else

extern int __managed__Main(int argc, char **argv);

/* The configuration the managed side loads: APKGEN_CONFIG, else /etc/apkgen.conf. */
static const char *apk_path(char *buf, size_t size, const char **device)
{
	const char *conf = getenv("APKGEN_CONFIG");
	return config_apk_path(conf ? conf : "/etc/apkgen.conf", buf, size, device);
}

/*
 * Inside an apkgen transaction (its marker on the snapshot's private /run, which the commit
 * hook also checks) apk is already running in the snapshot: every command line goes to the
 * real apk as it is (Transaction.MarkerRelativePath, ApkHandler.InTransaction).
 */
#define TRANSACTION_MARKER "/run/apkgen-transaction"

/*
 * Written by apkgen at every switch of current (SwitchMarker.cs), on the /run tmpfs so a
 * reboot removes it: one file per configured [layout] device, "switched@" and the device with
 * '/' as '%' (plain "switched" when unset). While it is there, slot 0 may not be the running
 * root, and the managed side decides which root a read-only applet reads. Without it (no
 * change since boot, every ordinary boot) the check is one failed open.
 */
#define SWITCH_MARKER "/run/apkgen/switched"

/* How often the wrapper may be reached again from the apk it ran (ApkHandler.DepthLimit). */
#define DEPTH_VARIABLE "APKGEN_APK_DEPTH"
#define DEPTH_LIMIT 8

static int switched_for(const char *device)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof path, "%s%s%s", SWITCH_MARKER, *device ? "@" : "", device);
	if (n < 0 || (size_t)n >= sizeof path)
		return 1; /* in doubt: the managed side looks */
	for (char *p = path + sizeof SWITCH_MARKER; *p; p++)
		if (*p == '/')
			*p = '%';
	return access(path, F_OK) == 0 || errno != ENOENT;
}

int main(int argc, char **argv)
{
	const char *base = argc > 0 && argv[0] ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : argc > 0 && argv[0] ? argv[0] : "";
	int in_transaction = strcmp(base, "apk") == 0 && access(TRANSACTION_MARKER, F_OK) == 0;
	if (strcmp(base, "apk") == 0 && (in_transaction || apk_front_passes_through(argc - 1, argv + 1))) {
		static char conf[64 * 1024];
		const char *device;
		const char *path = apk_path(conf, sizeof conf, &device);
		char self[PATH_MAX], target[PATH_MAX];
		/* [apk] path naming apkgen itself would exec for ever: the managed side says so.
		 * Without /proc (a chroot) that cannot be told, and the managed side decides. */
		if (path && (!realpath("/proc/self/exe", self) || (realpath(path, target) && strcmp(self, target) == 0)))
			path = NULL;
		/* Exec'd by itself (the pid survives exec; see Exec.PidVariable): the managed side refuses. */
		const char *exec_pid = getenv("APKGEN_EXEC_PID");
		char pid[24];
		snprintf(pid, sizeof pid, "%ld", (long)getpid());
		if (exec_pid && strcmp(exec_pid, pid) == 0)
			path = NULL;
		/* Reached again and again through the apk it ran (a script at [apk] path running
		 * `apk` through PATH): the managed side refuses at the limit. */
		const char *depth_text = getenv(DEPTH_VARIABLE);
		long depth = depth_text ? strtol(depth_text, NULL, 10) : 0;
		if (depth < 0 || depth >= DEPTH_LIMIT)
			path = NULL;
		/* A change since boot: which root a read-only applet reads is the managed side's to say. */
		if (path && !in_transaction && apk_front_reads_live_root(argc - 1, argv + 1) && switched_for(device))
			path = NULL;
		if (path) {
			char *argv0 = argv[0], *before = exec_pid ? strdup(exec_pid) : NULL;
			char *depth_before = depth_text ? strdup(depth_text) : NULL;
			char next[24];
			snprintf(next, sizeof next, "%ld", depth + 1);
			setenv("APKGEN_EXEC_PID", pid, 1);
			setenv(DEPTH_VARIABLE, next, 1);
			argv[0] = (char *)"apk";
			execv(path, argv);
			/* Failed: the managed side tries again and reports why, with the remedy. */
			argv[0] = argv0;
			if (before)
				setenv("APKGEN_EXEC_PID", before, 1);
			else
				unsetenv("APKGEN_EXEC_PID");
			if (depth_before)
				setenv(DEPTH_VARIABLE, depth_before, 1);
			else
				unsetenv(DEPTH_VARIABLE);
			free(before);
			free(depth_before);
		}
	}
	return __managed__Main(argc, argv);
}

#endif

using System.Text.Json;
using Apkgen.TestSupport;
using static Apkgen.TestSupport.ApkgenCli;

namespace Apkgen.Crash.Tests;

/// <summary>
/// Transactions started at the same time: the global lock serializes them, each exits with its
/// own code, no successful one is lost, and gc never deletes what a transaction uses.
/// </summary>
public sealed class ConcurrencyTests(Bases bases) : IClassFixture<Bases>
{
    /// <summary>Generations as `apkgen list --json` shows them: id -> command.</summary>
    static Dictionary<string, string> Listed(string config, string device)
    {
        var (code, json) = RunApkgen("--config", config, "--device", device, "list", "--json");
        Assert.True(code == 0, json);
        using var doc = JsonDocument.Parse(json);
        var result = new Dictionary<string, string>();
        var root = doc.RootElement;
        var items = root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("generations");
        foreach (var g in items.EnumerateArray())
            result[g.GetProperty("id").GetString()!] = g.TryGetProperty("command", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
        return result;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Concurrent_execs_are_serialized_each_exits_with_its_own_code_and_no_generation_is_lost(int n)
    {
        using var img = DiskImage.CopyOf(bases.ExecBaseImage, $"concurrent-{n}.img");
        var top = img.Mount();
        var device = img.Device!;
        var config = Kit.Config(bases.Dir, $"concurrent-{n}.conf", "[layout]\nlinks = 4\n[gc]\nauto = false\n");
        var before = Listed(config, device).Keys.ToHashSet();
        // With four, the third fails after writing: it must leave no trace.
        var failing = n == 4 ? 2 : -1;
        var runs = Enumerable.Range(0, n).Select(i => Kit.Start(null, "--config", config, "--device", device, "exec", "--",
            "/bin/sh", "-c", i == failing ? $"touch /etc/c{i}; sleep 1; exit 3" : $"sleep 1; touch /etc/c{i}")).ToList();
        try
        {
            var codes = runs.Select(r => r.Wait()).ToList();
            var outputs = runs.Select(r => r.Output).ToList();
            var all = string.Join("\n---\n", outputs);
            for (var i = 0; i < n; i++)
                Assert.True(codes[i] == (i == failing ? 3 : 0), $"run {i} exited {codes[i]}:\n{all}");
            // Serialized: the lock made every run but the first wait.
            Assert.True(outputs.Count(o => o.Contains("waiting for another apkgen run")) >= n - 1, all);

            var listed = Listed(config, device);
            var made = listed.Where(kv => !before.Contains(kv.Key)).ToList();
            var successes = Enumerable.Range(0, n).Where(i => i != failing).ToList();
            Assert.True(made.Count == successes.Count, $"new generations: {string.Join(", ", made.Select(kv => kv.Key + " " + kv.Value))}");
            foreach (var i in successes)
                Assert.Contains(made, kv => kv.Value.Contains($"touch /etc/c{i}"));
            // Each commit stacks on slot 0: the last root holds every successful change, not the failed one.
            foreach (var i in successes)
                Assert.True(File.Exists(Path.Combine(top, "current/0/@/etc", $"c{i}")), $"c{i} missing from slot 0\n{all}");
            if (failing >= 0)
            {
                Assert.False(File.Exists(Path.Combine(top, "current/0/@/etc", $"c{failing}")));
                Assert.Contains("discarded", outputs[failing]);
            }
            Assert.Equal(before.Count + successes.Count, Directory.GetDirectories(Path.Combine(top, "snapshots")).Length);
            Kit.AssertSlotsReadOnly(top, 4, "after the concurrent runs");
            Assert.Empty(Kit.MountsAnywhere(device, top));
        }
        finally
        {
            foreach (var r in runs) r.Dispose();
        }
    }

    [Fact]
    public void Gc_started_during_a_transaction_waits_for_it_and_deletes_nothing_it_uses()
    {
        using var img = DiskImage.CopyOf(bases.ExecBaseImage, "gc-during-tx.img");
        var top = img.Mount();
        var device = img.Device!;
        var config = bases.GcConfig;
        // Two commits first, so gc has an unreferenced generation to delete.
        for (var i = 0; i < 2; i++)
            Assert.Equal(0, RunApkgen("--config", config, "--device", device, "exec", "--", "/bin/touch", $"/etc/g{i}").Code);
        var slot0 = Kit.Slot(top, 0);
        var started = Path.Combine(top, "commons/@var@log/tx-started");
        using var tx = Kit.Start(null, "--config", config, "--device", device, "exec", "--", "/bin/sh", "-c",
            "touch /var/log/tx-started; sleep 4; touch /etc/during");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(started) && !tx.Exited && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.True(File.Exists(started), "the transaction's change never started:\n" + tx.Output);

        using var gc = Kit.Start(null, "--config", config, "--device", device, "gc");
        var gcCode = gc.Wait();
        var txCode = tx.Wait();
        Assert.True(txCode == 0, tx.Output);
        Assert.True(gcCode == 0, gc.Output);
        Assert.Contains("waiting for another apkgen run", gc.Output);

        // The transaction committed on top of the old slot 0, and survived the gc.
        var id = Kit.Slot(top, 0);
        Assert.NotEqual(slot0, id);
        Assert.Equal(slot0, Kit.Slot(top, 1));
        Assert.True(File.Exists(Path.Combine(top, "current/0/@/etc/during")));
        Assert.True(File.Exists(Path.Combine(top, "current/0/@/etc/g1")));
        Assert.Contains("parent = " + slot0, File.ReadAllText(Path.Combine(top, "snapshots", id, "generation.ini")));
        Kit.AssertSlotsReadOnly(top, 2, "after gc during a transaction");
        // gc ran after the commit: it saw the new current and left only its two generations.
        Kit.AssertNoLeftovers(top, 2, "gc after the transaction\n" + gc.Output);
        Assert.Empty(Kit.MountsAnywhere(device, top));
    }
}

using System.Text.Json;

namespace Apkgen.Boot.Tests.Harness;

/// <summary>One generation as <c>apkgen list --json</c> printed it in the guest (<c>Trial</c>: slot 0 of <c>pending</c>).</summary>
public sealed record GenerationView(string Id, IReadOnlyList<int> Slots, bool Trial, bool Booted, string State, string? Parent,
    string? Command = null, IReadOnlyList<string>? Added = null, IReadOnlyList<string>? Upgraded = null);

/// <summary>Shell snippets for the guest's step, and the parsing of what they print.</summary>
public static class GuestState
{
    /// <summary>Prints apkgen's view on prefixed lines: the list (one JSON line), status, the menu.</summary>
    public static string Report(string label) => $"""
        printf 'APKGEN-LIST-{label} %s\n' "$(apkgen list --json | tr -d '\n')"
        apkgen status 2>&1 | sed 's/^/APKGEN-STATUS-{label} /'
        if [ -f /boot/efi/EFI/BOOT/apkgen.conf ]; then sed 's/^/APKGEN-MENU-{label} /' /boot/efi/EFI/BOOT/apkgen.conf; fi

        """;

    /// <summary>The generations of the report <paramref name="label"/>; null when it is missing or not JSON.</summary>
    public static IReadOnlyList<GenerationView>? List(this BootRecord boot, string label)
    {
        var line = boot.Lines($"APKGEN-LIST-{label} ").LastOrDefault();
        if (line is null)
            return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.EnumerateArray().Select(g => new GenerationView(
                g.GetProperty("id").GetString()!,
                g.GetProperty("slots").EnumerateArray().Select(s => s.GetInt32()).ToList(),
                // Required, not defaulted: a renamed field must fail the scenario, never pass it
                // vacuously ("pending" became "trial" and went unnoticed here once).
                g.GetProperty("trial").GetBoolean(),
                g.GetProperty("booted").GetBoolean(),
                g.GetProperty("state").GetString()!,
                g.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.String ? parent.GetString() : null,
                g.TryGetProperty("command", out var command) && command.ValueKind == JsonValueKind.String ? command.GetString() : null,
                Packages(g, "added"),
                Packages(g, "upgraded"))).ToList();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    // "packages": { "added": [...], "upgraded": [...] } of apkgen list --json; entries are
    // strings or objects, kept as their JSON text.
    static IReadOnlyList<string> Packages(JsonElement generation, string kind) =>
        generation.TryGetProperty("packages", out var p) && p.ValueKind == JsonValueKind.Object
            && p.TryGetProperty(kind, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList()
            : [];

    /// <summary>The stanza file apkgen-refind wrote, as the guest read it from the ESP.</summary>
    public static IReadOnlyList<string> Menu(this BootRecord boot, string label) => boot.Lines($"APKGEN-MENU-{label} ");

    /// <summary>The generation in slot <paramref name="slot"/>, or null.</summary>
    public static GenerationView? InSlot(this IReadOnlyList<GenerationView> list, int slot) =>
        list.FirstOrDefault(g => g.Slots.Contains(slot));

    /// <summary>The rc of the step's command printed as <c>APKGEN-RC-name N</c>.</summary>
    public static int? Rc(this BootRecord boot, string name) =>
        boot.Lines($"APKGEN-RC-{name} ").LastOrDefault() is { } s && int.TryParse(s, out var rc) ? rc : null;

    /// <summary>Runs a command in the step and prints its exit status as <c>APKGEN-RC-name N</c>.</summary>
    /// <summary>Prints the live root's package state: apk's database and world, and whether hello is there.</summary>
    public const string LiveState = """
        printf 'APKGEN-LIVE-STATE %s %s hello=%s\n' "$(sha256sum /lib/apk/db/installed | cut -c1-16)" "$(sha256sum /etc/apk/world | cut -c1-16)" "$(command -v hello || echo none)"

        """;

    /// <summary>Runs a command with its output on lines prefixed APKGEN-OUT-name and its exit status as APKGEN-RC-name.</summary>
    public static string Captured(string name, string command) => $"""
        {command} >/tmp/{name}.out 2>&1
        rc=$?
        sed 's/^/APKGEN-OUT-{name} /' /tmp/{name}.out
        printf 'APKGEN-RC-{name} %s\n' "$rc"

        """;

    public static string Run(string name, string command) => $"""
        {command}
        printf 'APKGEN-RC-{name} %s\n' "$?"

        """;
}

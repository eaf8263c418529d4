namespace Apkgen.Core.Edge;

/// <summary>The running processes, as far as a transaction needs them: which live in a snapshot, and stopping them.</summary>
public interface IProcessTable
{
    /// <summary>The processes (other than apkgen) whose root directory is <paramref name="rootPath"/> or below it.</summary>
    IReadOnlyList<int> RootedUnder(string rootPath);

    /// <summary>Sends signal <paramref name="signal"/> (15 SIGTERM, 9 SIGKILL) to <paramref name="pid"/>; a process gone meanwhile is no error.</summary>
    void Signal(int pid, int signal);
}

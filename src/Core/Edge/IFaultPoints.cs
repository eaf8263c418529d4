namespace Apkgen.Core.Edge;

/// <summary>
/// The stage boundaries of a commit and a gc (<see cref="FaultStages"/>), told to the
/// composition as apkgen passes them. The shipped executables pass <see cref="NoFaultPoints"/>;
/// the crash tests' build stops or kills itself at a named one
/// (<see cref="Linux.EnvironmentFaultPoints"/>, only in the TestHooks build).
/// </summary>
public interface IFaultPoints
{
    /// <summary>Marks that the stage <paramref name="stage"/> was just passed.</summary>
    void Pass(string stage);
}

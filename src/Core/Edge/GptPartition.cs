namespace Apkgen.Core.Edge;

/// <summary>One GPT partition entry: where it starts and what rEFInd can match it by.</summary>
/// <param name="Number">1-based entry number.</param>
/// <param name="FirstLba">First sector.</param>
/// <param name="LastLba">Last sector (inclusive).</param>
/// <param name="Name">The partition name (PARTLABEL).</param>
/// <param name="UniqueGuid">The unique partition GUID (PARTUUID), lower case.</param>
public sealed record GptPartition(int Number, long FirstLba, long LastLba, string Name, string UniqueGuid);

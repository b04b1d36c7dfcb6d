namespace Defender.Mssp.Grains;

/// <summary>
/// Saving the checkpoint failed for a reason other than lost ownership (storage unreachable, timeout). The turn stops
/// delivering: records delivered beyond a checkpoint that cannot be saved would all be delivered again after a crash.
/// </summary>
internal sealed class CheckpointWriteFailedException(Exception inner)
    : Exception("The tenant's checkpoint could not be saved.", inner);

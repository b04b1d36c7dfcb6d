namespace Defender.Mssp.Grains;

/// <summary>What happened to one source in one turn.</summary>
public enum SourcePollStatus
{
    /// <summary>Polled without error; nothing new (or the window was empty because the last poll was too recent).</summary>
    NothingNew,

    /// <summary>Polled without error; new record versions were delivered.</summary>
    Delivered,

    /// <summary>Not polled: the source is backing off after a failure.</summary>
    NotDue,

    /// <summary>The poll failed (or the source is not known); records delivered before the failure are counted.</summary>
    Failed,
}

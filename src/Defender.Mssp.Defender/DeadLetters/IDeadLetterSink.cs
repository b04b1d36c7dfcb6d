namespace Defender.Mssp.Defender.DeadLetters;

/// <summary>Where poison records go (<see cref="FileDeadLetterSink"/> by default).</summary>
public interface IDeadLetterSink
{
    /// <summary>Keeps <paramref name="letters"/> durably; throws when it could not, so the page is read again later.</summary>
    Task WriteAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken);
}

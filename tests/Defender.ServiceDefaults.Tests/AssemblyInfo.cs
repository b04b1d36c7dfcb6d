// Every test host here runs the SDK's providers, which listen to the Defender.Mssp meter and activity source process
// wide; one host at a time keeps each test's exports its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

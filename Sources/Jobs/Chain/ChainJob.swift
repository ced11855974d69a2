/// A job kind that runs as Markov chains: it names its engine adapter, and the chain runner does
/// the run. Its series and configurations are written as the run goes, so a resume continues the
/// run file rather than rebuilding it.
protocol ChainJob: JobDefinition {
    associatedtype Chain: MarkovChain
    /// The kind's engine adapter for a run in `context`.
    func chain(_ context: RunContext) -> Chain
}

extension ChainJob {
    /// Runs the chains through the chain runner: thermalise, advance, measure, save, checkpoint, summarise.
    public func execute(_ context: RunContext) throws -> RunOutcome {
        try ChainRunner(context: context).run(chain(context))
    }

    /// Written as the run goes: a resume continues the run file.
    public var recordsIncrementally: Bool { true }
}

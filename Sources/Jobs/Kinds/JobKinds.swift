/// Every job kind this build runs, found by the `kind` key of a job file. Adding a kind is a
/// folder under `Kinds/` and one entry here.
public enum JobKinds {
    /// The kinds, in the order `--help` lists them.
    public static let all: [any JobDefinition.Type] = [DemoJob.self, IsingJob.self, Phi4Job.self, TrainJob.self, FlowJob.self, FlowSampleJob.self, RBMJob.self, VacuaJob.self]
}

extension JobDefinition {
    /// Every key a job file of this kind accepts, by section as the file spells it ("" for the top
    /// level, "vacua.genetic", "models.*" for every named model): the lists strict decoding holds a
    /// file to, read from the definition's decoder, so that docs/jobs.md can be checked against them.
    public static var acceptedKeys: [String: Set<String>] { StrictDecoding.accepted(Self.self) }
}

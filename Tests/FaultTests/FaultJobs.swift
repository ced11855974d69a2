import Foundation

/// The small runs the fault tests interrupt, one per job kind, each with frequent checkpoints.
enum FaultJobs {
    static let demo = """
        kind = "demo"
        output = "demo.h5"
        seed = 11
        [demo]
        autocorrelations = [0.0, 0.9]
        chains = 4
        measurements = 40000
        checkpoint_every = 4000
        """

    static let ising = """
        kind = "ising"
        output = "ising.h5"
        seed = 12
        [ising]
        extents = [32, 32]
        temperatures = [2.0, 2.2, 2.4, 2.6]
        algorithms = ["wolff", "metropolis"]
        thermalization = 50
        sweeps = 800
        save_every = 25
        checkpoint_every = 50
        exchange_every = 10
        """

    static let phi4 = """
        kind = "phi4"
        output = "phi4.h5"
        seed = 13
        [phi4]
        extents = [16, 16]
        kappa = [0.2, 0.3]
        lambda = [0.022]
        chains = 2
        steps = 6
        thermalization = 40
        trajectories = 160
        save_every = 10
        checkpoint_every = 16
        """

    /// The training data the train job reads (made once per test).
    static let scan = """
        kind = "ising"
        output = "scan.h5"
        seed = 14
        [ising]
        extents = [8, 8]
        temperature_range = { from = 1.6, to = 3.2, count = 6 }
        algorithms = ["wolff", "metropolis"]
        thermalization = 100
        sweeps = 600
        save_every = 10
        """

    static let train = """
        kind = "train"
        output = "train.h5"
        seed = 15
        [data]
        files = ["scan.h5"]
        label = "phase"
        boundary = 2.269185314213022
        train_ranges = [[0.0, 2.0], [2.6, 10.0]]
        validation_fraction = 0.1
        global_flip = true
        [training]
        precision = "float64"
        epochs = 3
        batch = 16
        learning_rate = 0.01
        deterministic_shards = 2
        checkpoint_every = 4
        [models.cnn]
        layers = ["conv2d channels=4 kernel=3", "tanh", "global_average_pool", "dense units=2 init=glorot"]
        [models.mlp]
        layers = ["flatten", "dense units=16", "gelu", "dense units=2 init=glorot"]
        """

    static let vacua = """
        kind = "vacua"
        output = "vacua.h5"
        seed = 16
        [vacua]
        flux_limit = 10
        method = "genetic"
        evaluations = 6000
        string_coupling = [0.25, 0.35]
        checkpoint_every = 4
        [vacua.genetic]
        population = 100
        islands = 2
        """

    static let flow = """
        kind = "flow"
        output = "flow.h5"
        seed = 17
        [phi4]
        extents = [4, 4]
        kappa = 0.25
        lambda = 0.5
        [flow]
        couplings = 2
        hidden = [4]
        [training]
        steps = 160
        batch = 16
        learning_rate = 0.01
        deterministic_shards = 2
        checkpoint_every = 10
        """

    /// Samples from `model.h5`, the flow job above run once per test (`inputs`).
    static let flowSample = """
        kind = "flow-sample"
        output = "flow-sample.h5"
        seed = 18
        [sampling]
        model = "model.h5"
        proposals = 8000
        batch = 128
        save_every = 100
        checkpoint_every = 512
        """

    /// Trains on `free.h5`, a free-field φ⁴ run made once per test (`inputs`).
    static let rbm = """
        kind = "rbm"
        output = "rbm.h5"
        seed = 19
        [data]
        file = "free.h5"
        [rbm]
        hidden = 4
        mass_squared = 2.5
        samples = 20
        [training]
        steps = 300
        batch = 64
        shards = 2
        chains = 16
        learning_rate = 0.01
        warmup_steps = 20
        checkpoint_every = 20
        """

    /// The input files of the train, flow-sample and rbm jobs: (job file, its text, output).
    static let inputs: [(file: String, text: String, output: String)] = [
        ("scan.toml", scan, "scan.h5"),
        ("model.toml", flow, "model.h5"),
        ("free.toml", """
            kind = "phi4"
            output = "free.h5"
            seed = 20
            [phi4]
            extents = [4, 4]
            kappa = [0.2]
            lambda = [0.0]
            chains = 2
            steps = 6
            thermalization = 100
            trajectories = 2000
            save_every = 5
            """, "free.h5"),
    ]

    /// Every kind, by name.
    static let all: [(name: String, text: String)] = [("demo", demo), ("ising", ising), ("phi4", phi4), ("train", train), ("flow", flow),
                                                      ("flow-sample", flowSample), ("rbm", rbm), ("vacua", vacua)]

    /// A digest of every dataset of each finished run file named on the command line, byte for
    /// byte, except the columns that measure wall time (so two runs of one job agree exactly); one
    /// line per file.
    static let digestScript = """
        import h5py, hashlib, sys
        TIMING = {'seconds', 'evaluations_per_s_per_rank'}
        def digest(name):
            h = hashlib.sha256()
            f = h5py.File(name, 'r')
            if not f.attrs.get('completed', False):
                return 'incomplete'
            def visit(path, obj):
                if isinstance(obj, h5py.Dataset):
                    a = obj[...]
                    if a.dtype.names:
                        a = a.copy()
                        for n in a.dtype.names:
                            if n in TIMING: a[n] = 0
                    h.update(path.encode()); h.update(a.tobytes())
            f.visititems(visit)
            return h.hexdigest()
        for name in sys.argv[1:]:
            print(digest(name))
        """
}

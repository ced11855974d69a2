import Foundation
import Launching
import XCTest

/// Run files as xarray (through h5netcdf, with no MPI) reads them: every axis of every dataset
/// named by a dimension scale (no `phony_dim_*`), the values those of h5py, coordinates where
/// they mean something, and `units`/`long_name` on every observable.
final class XarrayTests: XCTestCase {
    /// Opens every group of each file given with xarray and checks it against h5py; prints
    /// "ok <file> <groups>" per file, or fails naming what differs.
    static let everyGroup = """
        import sys, warnings, h5py, numpy as np, xarray as xr
        warnings.simplefilter('ignore')
        def same(a, b):
            if a.dtype.names:
                return a.dtype == b.dtype and a.tobytes() == b.tobytes()
            if a.dtype.kind in 'fc':
                return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
            return np.array_equal(a.astype(b.dtype) if a.dtype.kind in 'OSU' else a, b)
        for path in sys.argv[1:]:
            f = h5py.File(path, 'r')
            groups = ['/'] + sorted('/' + n for n, o in f.items() if isinstance(o, h5py.Group))
            def collect(name, obj):
                if isinstance(obj, h5py.Group) and '/' + name not in groups: groups.append('/' + name)
            f.visititems(collect)
            for g in groups:
                ds = xr.open_dataset(path, engine='h5netcdf', group=g, phony_dims='access')
                phony = [d for d in ds.dims if str(d).startswith('phony_dim')]
                assert not phony, f'{path}{g}: unnamed axes {phony} in {ds}'
                for name, var in ds.variables.items():
                    stored = f[g][name][...]
                    if stored.dtype.kind == 'S': stored = stored.astype(str)
                    assert same(var.values, stored), f'{path}{g}/{name}: xarray reads other values than h5py'
            print('ok', path, len(groups))
        """

    func testIsingPhi4AndTrainingFilesOpenInXarrayWithNamedAxes() throws {
        let launcher = try Launcher()
        defer { launcher.remove() }
        let ising = TrainRunTests.scan(count: 4, sweeps: 400, saveEvery: 20)
        let phi4 = Phi4RunTests.job(points: "kappa = [0.2, 0.25, 0.3]\nlambda = [0.022]")
        for (name, text) in [("scan", ising), ("phi4", phi4), ("train", TrainRunTests.train(epochs: 2))] {
            try launcher.write("\(name).toml", text)
            let output = name == "train" ? "model.h5" : "\(name).h5"
            let run = try launcher.ensemble(ranks: 2, ["run", "\(name).toml", "--output", output])
            XCTAssertEqual(run.status, 0, "\(name): \(run.stderr)")
        }
        let checked = try launcher.python(Self.everyGroup, arguments: ["scan.h5", "phi4.h5", "model.h5"])
        XCTAssertEqual(checked.split(separator: "\n").map { $0.split(separator: " ").prefix(2).joined(separator: " ") },
                       ["ok scan.h5", "ok phi4.h5", "ok model.h5"], checked)

        // What a physicist does next: select by coordinate, read units, definitions and tables.
        let answers = try launcher.python("""
            import warnings, h5py, numpy as np, xarray as xr
            warnings.simplefilter('ignore')
            def open(path, group=None): return xr.open_dataset(path, engine='h5netcdf', group=group)
            f = h5py.File('scan.h5', 'r')
            root, obs = open('scan.h5'), open('scan.h5', 'observables')
            assert root.configurations.dims == ('temperature', 'sample', 'x0', 'x1'), root.configurations.dims
            assert np.array_equal(root.temperature.values, f['parameters/temperature'][...])
            assert obs.energy.dims == ('temperature', 'chain', 'sweep'), obs.energy.dims
            assert np.array_equal(obs.sweep.values, f['observables/sweep'][...])
            for name in ['energy', 'magnetization', 'abs_magnetization', 'magnetization2', 'magnetization4']:
                assert obs[name].attrs['units'] and obs[name].attrs['long_name'], name
            assert root.summary.dims == ('temperature',)
            assert root.summary.attrs['binder_definition'] == 'U_4 = 1 - <m^4> / (3 <m^2>^2)'
            assert root.summary.values['binder'].tolist() == f['summary']['binder'].tolist()
            tree = xr.open_datatree('scan.h5', engine='h5netcdf')
            t = f['parameters/temperature'][2]
            assert np.array_equal(tree['observables'].energy.sel(temperature=t).values, f['observables/energy'][2])
            p = h5py.File('phi4.h5', 'r')
            obs, analysis, parameters = open('phi4.h5', 'observables'), open('phi4.h5', 'analysis'), open('phi4.h5', 'parameters')
            assert obs.correlator.dims == ('point', 'chain', 'trajectory', 't'), obs.correlator.dims
            assert 'definition' in obs.correlator.attrs and obs.phi2.attrs['long_name']
            assert analysis.correlator.dims == ('point', 't', 'statistic') and list(analysis.statistic.values) == ['mean', 'error']
            assert np.array_equal(analysis.correlator.sel(statistic='error').values, p['analysis/correlator'][:, :, 1])
            assert parameters.kappa.dims == ('point',) and parameters.steps.dims == ('point', 'chain')
            assert open('phi4.h5').summary.attrs['susceptibility_definition'].startswith('chi = V (<M^2> - <|M|>^2)')
            m = h5py.File('model.h5', 'r')
            cnn = open('model.h5', 'models/cnn')
            assert cnn.metrics.dims == ('epoch',) and cnn.prediction_mean.dims == ('point',)
            assert cnn.metrics.values['train_loss'].tolist() == m['models/cnn/metrics']['train_loss'].tolist()
            assert list(m['models/cnn/metrics']['epoch']) == [1, 2]
            assert open('model.h5').summary.dims == ('model',)
            print('ok')
            """)
        XCTAssertEqual(answers, "ok")
    }
}

// A golden pair the model does not reproduce: validate replays the pairs in-process and fails before any image is
// built, with the same report lines as verify, naming the pair, the output and the values.
def log = new File(basedir, 'build.log').text

assert log.contains("Golden pairs replayed in-process; CPU ") : 'the report names the CPU and kernels'
assert log.contains("oneDNN kernels capped at AVX2") : 'the default cap is in force in the Maven JVM'
assert log.contains("FAIL golden batched (three sequences of 12 steps): output 'output_1': 1 of 3 values differ")
assert log.contains("expected 1000.5, got 99.53")
assert log.contains("PASS golden single-step (two sequences of one step)")
assert log.contains("2 checks, 1 failed")
assert !log.contains(":build (default)") : 'no image is built from a model that fails its golden pairs'
return true

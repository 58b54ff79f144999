// build wrote model.tar.gz and an image without the model; verify extracted the archive, mounted it at
// /opt/ml/model and checked the image against every golden pair and refusal, as the baked image is checked.
def log = new File(basedir, 'build.log').text
def archive = new File(basedir, 'target/model-contract/model.tar.gz')

assert archive.isFile() : 'build writes the model archive'
assert new File(basedir, 'target/model-contract/model-contract.schema.json').text.contains('"$schema"') : 'validate writes the JSON Schema the contract names'
assert log.contains('without the model: it serves the model mounted at /opt/ml/model')
assert log.contains('The image has no model: verifying it with ') && log.contains('extracted and mounted at /opt/ml/model')
assert log.contains('PASS golden batched (three sequences of 12 steps)')
assert log.contains('PASS golden unbatched')
assert !log.contains('FAIL ')
// Quiet logs: DJL's GPU probe and Testcontainers' banner and environment report stay out of a build's log.
assert !log.contains('Failed to detect GPU count') : 'no DJL CUDA warnings'
assert !log.contains('Ryuk has been disabled') : 'no Testcontainers banner'
assert !log.contains('Testcontainers version') && !log.contains('Connected to docker') : 'no Testcontainers report'
return true

// init wrote the repo, its contract complete (the sample taught every dtype and shape); record wrote the golden pair;
// the written pom's build validated the draft against the model, built the image and verified it.
def log = new File(basedir, 'build.log').text
def pom = new File(basedir, 'pom.xml').text
def contract = new File(basedir, 'model/model-contract.yaml').text

assert pom.contains('<artifactId>init-from-torchscript</artifactId>') : 'the folder names the artifact'
assert pom.contains('<goal>validate</goal>') && pom.contains('<goal>build</goal>') && pom.contains('<goal>verify</goal>')
assert new File(basedir, 'model/forecaster.pt').bytes == new File(basedir, 'forecaster.pt').bytes
assert new File(basedir, 'golden/two-stores.json').isFile()
assert !contract.contains('FILL IN') : 'nothing left to fill in'
assert contract.contains('  - name: history') && contract.contains('    shape: [batch, T, 3]')
assert contract.contains('  - name: store_id') && contract.contains('    dtype: int64')
assert contract.contains('  returns: dict') && contract.contains('  - name: p_stockout')
assert log.contains('Drafted the contract from forward(store_id: Tensor, history: Tensor, calendar: Tensor)'
    + ' -> Dict[str, Tensor] and runs on sample.json')
assert log.contains('Recorded ')
assert log.contains('PASS golden two-stores')
assert log.contains('Built init-from-torchscript:1.0.0')
assert !log.contains('FAIL ')
return true

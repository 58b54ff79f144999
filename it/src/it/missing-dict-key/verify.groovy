// The contract reads the key 'prediction' from the dict the model returns; the model returns 'forecast' and
// 'regime'. validate must fail before any image is built, naming the line, the field and the keys returned.
def log = new File(basedir, 'build.log').text

assert log.contains("model-contract.yaml:39:") : 'the failure names the contract file and line'
assert log.contains("(/outputs/0/key)") : 'the failure names the field'
assert log.contains("output 'forecast' reads the key 'prediction', but the model returned a dict with the keys 'forecast', 'regime'")
assert !log.contains(":build (default)") : 'no image is built from a contract that breaks its model'
return true

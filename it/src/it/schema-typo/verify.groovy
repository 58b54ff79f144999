// A misspelled key fails the schema check at validate, located at its line, before the model is even loaded.
def log = new File(basedir, 'build.log').text

assert log.contains("model-contract.yaml:19:") : 'the failure names the contract file and line'
assert log.contains("the field 'dtpye' is not part of the contract language")
assert log.contains("(/inputs/0/dtpye)")
assert log.contains("the field 'dtype' is missing")
assert !log.contains(":build (default)")
return true

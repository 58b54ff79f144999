// The contract says output_2 has 4 logits, the model returns 3: validate must fail before any image is built,
// naming the contract file, the line and field, what the contract says and what the model did.
def log = new File(basedir, 'build.log').text

assert log.contains("model-contract.yaml:47:") : 'the failure names the contract file and line'
assert log.contains("(/outputs/1/shape/1)") : 'the failure names the field'
assert log.contains("output 'output_2' is declared [batch, 4], but the model returned shape [2, 3]")
assert log.contains("perhaps you should correct the contract or re-export the model")
assert !log.contains(":build (default)") : 'no image is built from a contract that breaks its model'
return true

// The example's model, contract and golden pairs, unchanged: only how they are shipped differs.
def example = new File(examplesDir, 'lstm-two-inputs')
['model/model.pt', 'model/model-contract.yaml', 'golden/batched.json', 'golden/single-step.json',
 'golden/unbatched.json'].each { path ->
  def target = new File(basedir, path)
  target.parentFile.mkdirs()
  target.bytes = new File(example, path).bytes
}
return true

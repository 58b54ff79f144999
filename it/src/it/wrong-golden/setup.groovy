// The broken copy shares the example's TorchScript file and golden pairs instead of committing second copies;
// one pair's first output_1 value is changed, as a model repo whose numbers no longer match would have it.
def example = new File(examplesDir, 'lstm-two-inputs')
new File(basedir, 'model/model.pt').bytes = new File(example, 'model/model.pt').bytes
def golden = new File(basedir, 'golden')
golden.mkdirs()
new File(golden, 'single-step.json').text = new File(example, 'golden/single-step.json').text
def batched = new File(example, 'golden/batched.json').text
def tampered = batched.replaceFirst(/("output_1"\s*:\s*\[\s*\[?\s*)-?[0-9.eE+-]+/, '$11000.5')
assert tampered != batched : 'the golden pair was changed'
new File(golden, 'batched.json').text = tampered
return true

// The broken copy shares the example's TorchScript file instead of committing a second copy of it.
def model = new File(examplesDir, 'two-args-dict/model/model.pt')
assert model.isFile() : "missing ${model}"
new File(basedir, 'model/model.pt').bytes = model.bytes
return true

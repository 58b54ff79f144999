// build wrote model.tar.gz and an image without the model that starts as a multi-model endpoint; verify extracted
// the archive under models/NAME/model, mounted it at /opt/ml/models, loaded it through POST /models and ran the
// example's suite through /models/NAME/invoke, then unload, reload, 404, 409 and 507.
def log = new File(basedir, 'build.log').text
assert new File(basedir, 'target/model-contract/model.tar.gz').isFile() : 'build writes the model archive'
assert log.contains('a multi-model image: it serves the model archives POST /models loads')
assert log.contains('PASS multi-model: loads (POST /models)')
assert log.contains('PASS multi-model: a second load of its name is refused 409')
assert log.contains('PASS multi-model: golden batched (three sequences of 12 steps)')
assert log.contains('PASS multi-model: unloaded, POST /models/multi-model/invoke is 404')
assert log.contains('PASS multi-model: after the reload, golden unbatched')
assert log.contains('PASS multi-model-copy: a second copy of multi-model is refused 507')
assert log.contains('PASS exits 0 within 30 s of SIGTERM')
def openApi = new File(basedir, 'target/model-contract/openapi.json').text
assert openApi.contains('"/models/{model_name}/invoke"') : 'the OpenAPI document describes the /models API'
assert !openApi.contains('"/invocations"') : 'a multi-model endpoint serves no /invocations'
assert !log.contains('FAIL ')
return true

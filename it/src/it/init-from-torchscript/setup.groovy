// Nothing but what a user has before init: the TorchScript file, a sample request and a request to record. The fixture
// is the one the plugin's unit tests use (maven-plugin/src/test/python/generate_forecaster.py).
def fixture = new File(examplesDir, '../maven-plugin/src/test/resources/init')
new File(basedir, 'forecaster.pt').bytes = new File(fixture, 'forecaster.pt').bytes
new File(basedir, 'sample.json').bytes = new File(fixture, 'sample.json').bytes
new File(basedir, 'requests').mkdirs()
new File(basedir, 'requests/two-stores.json').bytes = new File(fixture, 'sample.json').bytes
return true

package dev.modelcontract.maven;

import dev.modelcontract.testkit.ConformanceSuite;

/** The {@code -D} names of the plugin's parameters, kept in one place. */
final class PropertyNames {

  static final String MODEL_DIRECTORY = "modelcontract.modelDirectory";
  static final String IMAGE = "modelcontract.image";
  static final String MODEL_NAME = "modelcontract.modelName";
  static final String BASE_IMAGE = "modelcontract.baseImage";
  static final String IMAGE_TARGET = "modelcontract.imageTarget";
  static final String IMAGE_TAR = "modelcontract.imageTar";
  static final String STUB = "modelcontract.stub";
  static final String STUB_IMAGE = "modelcontract.stubImage";
  static final String ALLOW_INSECURE_REGISTRIES = "modelcontract.allowInsecureRegistries";
  static final String GOLDEN_DIRECTORY = "modelcontract.goldenDirectory";
  static final String TOLERANCE = "modelcontract.tolerance";
  static final String INCLUDE_MODEL = "modelcontract.includeModel";
  static final String MULTI_MODEL = "modelcontract.multiModel";
  static final String USER = "modelcontract.user";
  static final String INIT_MODEL_FILE = "modelcontract.init.modelFile";
  static final String INIT_SAMPLE = "modelcontract.init.sample";
  static final String INIT_GROUP_ID = "modelcontract.init.groupId";
  static final String INIT_ARTIFACT_ID = "modelcontract.init.artifactId";
  static final String INIT_VERSION = "modelcontract.init.version";
  static final String RECORD = "modelcontract.record";
  static final String RECORD_OVERWRITE = "modelcontract.record.overwrite";
  static final String STARTUP_TIMEOUT = "modelcontract.startupTimeoutSeconds";
  static final String VERIFY_SEED = ConformanceSuite.SEED_PROPERTY;
  static final String SKIP = "modelcontract.skip";
  static final String SKIP_VALIDATE = "modelcontract.validate.skip";
  static final String SKIP_BUILD = "modelcontract.build.skip";
  static final String SKIP_VERIFY = "modelcontract.verify.skip";
  static final String SKIP_COMPARE = "modelcontract.compare.skip";
  static final String RELEASED = "modelcontract.released";
  static final String RELEASED_VERSION = "modelcontract.released.version";
  /** Maven's own switches, honoured by {@code verify} as surefire and failsafe honour them. */
  static final String SKIP_TESTS = "skipTests";
  static final String SKIP_ITS = "skipITs";

  private PropertyNames() {}
}

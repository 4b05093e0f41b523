// Run by test/prerequisites.test.ts in a child mocha (not part of the suite): one suite whose
// prerequisite is missing, one that is not, as a real test file would use the helper.
import { skipIfMissing } from './prerequisites';

describe('needs a tool that is not installed', function () {
  before(function () {
    skipIfMissing(this, 'the frobnicator 3.1 is not installed (apt-get install frobnicator)');
  });
  it('uses the tool', () => {
    throw new Error('must not run');
  });
});

describe('needs nothing', function () {
  it('runs', () => {});
});

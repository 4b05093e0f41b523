import * as assert from 'node:assert/strict';
import { originOf } from '../src/request';

describe('originOf (the service type rules match)', () => {
  it('is the origin the translator writes on segments, so rules match what the console shows', () => {
    const ecs = { 'cloud.provider': 'aws', 'cloud.platform': 'aws_ecs' };
    assert.equal(originOf(ecs), 'AWS::ECS::Container');
    assert.equal(originOf({ ...ecs, 'aws.ecs.launchtype': 'fargate' }), 'AWS::ECS::Fargate');
    assert.equal(originOf({ ...ecs, 'aws.ecs.launchtype': 'ec2' }), 'AWS::ECS::EC2');
    assert.equal(originOf({ 'cloud.platform': 'aws_ec2' }), 'AWS::EC2::Instance');
  });

  it('adds Lambda, which has no segment origin, and nothing for other clouds', () => {
    assert.equal(
      originOf({ 'cloud.provider': 'aws', 'cloud.platform': 'aws_lambda' }),
      'AWS::Lambda::Function',
    );
    assert.equal(originOf({ 'cloud.provider': 'gcp', 'cloud.platform': 'aws_lambda' }), undefined);
    assert.equal(originOf({}), undefined);
  });
});

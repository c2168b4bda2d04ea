/**
 * SSM parameters of one account and region.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html
 */
import { awsError, unimplemented } from './aws-errors';

export class SsmEmulator {
  private readonly parameters = new Map<string, { value: string; version: number }>();

  put(name: string, value: string): void {
    const version = (this.parameters.get(name)?.version ?? 0) + 1;
    this.parameters.set(name, { value, version });
  }

  value(name: string): string | undefined {
    return this.parameters.get(name)?.value;
  }

  handle(operation: string, input: any): any {
    if (operation !== 'GetParameter') throw unimplemented('ssm', operation);
    const parameter = this.parameters.get(input.Name);
    if (!parameter) throw awsError('ParameterNotFound', `Parameter ${input.Name} not found`, 400);
    return { Parameter: { Name: input.Name, Type: 'String', Value: parameter.value, Version: parameter.version } };
  }
}

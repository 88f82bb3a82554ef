/** A RoleBlueprint that cannot be rendered: names the field (`spec.roles[2].roleName`) and the problem. */
export class BlueprintError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'BlueprintError';
  }
}

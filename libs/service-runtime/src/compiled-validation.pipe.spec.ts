import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsEmail, IsInt, IsNotEmpty, IsString, Min, ValidateNested } from 'class-validator';
import { CompiledValidationPipe } from './compiled-validation.pipe';

class Line {
  @IsString() @IsNotEmpty() sku: string;
  @IsInt() @Min(1) quantity: number;
}
class PlaceOrder {
  @IsString() @IsNotEmpty() customerId: string;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => Line) items: Line[];
}
class Subscribe {
  @IsEmail() email: string;
}

const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });
const platformPipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

/** The 400's reasons, as ValidationPipe writes them. */
async function reasons(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    if (error instanceof BadRequestException) return error.getResponse();
    throw error;
  }
  throw new Error('expected a 400');
}

describe('CompiledValidationPipe', () => {
  const pipe = new CompiledValidationPipe();

  it('passes a valid body on as it came', async () => {
    const valid = { customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 2 }] };
    await expect(pipe.transform(valid, body(PlaceOrder))).resolves.toBe(valid);
  });

  it.each([
    ['an unknown property', { customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 2 }], coupon: 'X' }],
    ['an unknown property of an item', { customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 2, colour: 'red' }] }],
    ['a zero quantity', { customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 0 }] }],
    ['no items', { customerId: 'c-1', items: [] }],
    ['no body at all', undefined],
  ])('refuses %s with the same 400 and reasons as ValidationPipe', async (_case, input) => {
    const ours = await reasons(() => pipe.transform(structuredClone(input), body(PlaceOrder)));
    expect(ours).toEqual(await reasons(() => platformPipe.transform(structuredClone(input), body(PlaceOrder))));
  });

  it('leaves a DTO whose rules a schema cannot mirror to ValidationPipe (an instance comes out)', async () => {
    await expect(pipe.transform({ email: 'a@example.com' }, body(Subscribe))).resolves.toBeInstanceOf(Subscribe);
    await expect(reasons(() => pipe.transform({ email: 'nope' }, body(Subscribe)))).resolves.toMatchObject({ statusCode: 400 });
  });

  it('leaves arguments that are not a body to ValidationPipe', async () => {
    await expect(pipe.transform('42', { type: 'param', metatype: String, data: 'id' })).resolves.toBe('42');
  });
});

import { describe, expect, it } from 'vitest';
import {
  buildJobSpec,
  fieldForApiPath,
  formForTemplate,
  joinCommand,
  splitCommand,
  suggestedBudgetMicros,
  type InputRow,
  type LaunchForm,
} from '@/components/jobs/launch-form';
import { validationError } from '@/lib/api/errors';
import { jobSpecSchema } from '@/lib/jobs/schemas';
import { JOB_TEMPLATES } from '@/lib/jobs/templates';

const NODE = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

function renderForm(patch: Partial<LaunchForm> = {}): LaunchForm {
  return { ...formForTemplate('render', null), budget: '25', ...patch };
}

describe('command lines', () => {
  it('split on spaces, group by quotes and honour escapes', () => {
    expect(splitCommand('blender -b scene.blend')).toEqual(['blender', '-b', 'scene.blend']);
    expect(splitCommand(`python -c "print('hi there')" ''`)).toEqual([
      'python',
      '-c',
      "print('hi there')",
      '',
    ]);
    expect(splitCommand('echo a\\ b "x\\"y"')).toEqual(['echo', 'a b', 'x"y']);
    expect(splitCommand('  ')).toEqual([]);
    expect(splitCommand('echo "open')).toBeNull();
  });

  it('join back to text that splits to the same words', () => {
    for (const template of JOB_TEMPLATES)
      expect(splitCommand(joinCommand(template.defaultCommand))).toEqual(template.defaultCommand);
    const awkward = ['sh', '-c', "it's a 'test'", '', 'a"b'];
    expect(splitCommand(joinCommand(awkward))).toEqual(awkward);
  });
});

describe('the form from a template', () => {
  it("fills the template's defaults and the node page's prefill", () => {
    const form = formForTemplate('multi_gpu_training', null, {
      nodeId: NODE,
      gpuModel: 'h100-80gb',
      gpuCount: 1,
      region: 'eu-west',
    });
    expect(form).toMatchObject({
      template: 'multi_gpu_training',
      name: 'Multi-GPU training job',
      gpuModels: ['h100-80gb'],
      // The template needs at least two GPUs, whatever the link asked for.
      gpuCount: 2,
      region: 'eu-west',
      nodeId: NODE,
    });
  });

  it('keeps hardware, pin and a typed name when the template changes, and resets the workload', () => {
    const first = {
      ...formForTemplate('render', null, { nodeId: NODE }),
      name: 'My scene',
      region: 'us-east',
    };
    const next = formForTemplate('llm_inference', { ...first, workUnits: '7' });
    expect(next).toMatchObject({
      name: 'My scene',
      region: 'us-east',
      nodeId: NODE,
      template: 'llm_inference',
    });
    expect(next.workUnits).toBe('20000000');
    const unpinned = formForTemplate('render', formForTemplate('multi_gpu_training', null));
    expect(unpinned).toMatchObject({ name: 'Render job', gpuCount: 1 });
  });
});

describe('building the spec', () => {
  it('turns text into the API body, money in micros', () => {
    const built = buildJobSpec(
      renderForm({
        workUnits: '1,200',
        maxPrice: '2.5',
        region: 'eu-west',
        nodeId: NODE,
        env: [
          { id: 1, key: 'SCENE', value: 'city' },
          { id: 2, key: '', value: '' },
        ],
      }),
    );
    expect(built.errors).toEqual({});
    expect(built.spec).toEqual({
      name: 'Render job',
      template: 'render',
      image: 'node:20-slim',
      command: ['node', '$(BACKFILL_INPUT_DIR)/render.mjs'],
      env: { SCENE: 'city' },
      inputs: [],
      workUnits: 1200,
      requirements: {
        gpuModels: [],
        gpuCount: 1,
        minVramGb: 16,
        region: 'eu-west',
        maxPricePerGpuHourMicros: '2500000',
        nodeId: NODE,
      },
      budgetMicros: '25000000',
    });
    expect(built.quote).toMatchObject({ budgetMicros: '25000000', workUnits: 1200 });
  });

  it('still quotes without a budget or a name, but cannot launch', () => {
    const built = buildJobSpec(renderForm({ budget: '', name: ' ' }));
    expect(built.spec).toBeNull();
    expect(built.quote).not.toBeNull();
    expect(built.quote).not.toHaveProperty('budgetMicros');
    expect(Object.keys(built.errors).sort()).toEqual(['budget', 'name']);
  });

  it('names the fields it can tell are wrong and does not quote a broken workload', () => {
    const built = buildJobSpec(
      renderForm({
        command: 'blender "unclosed',
        workUnits: '0',
        maxPrice: 'cheap',
        budget: '-1',
        env: [{ id: 1, key: '1BAD', value: 'x' }],
      }),
    );
    expect(Object.keys(built.errors).sort()).toEqual(['budget', 'command', 'env', 'maxPrice', 'workUnits']);
    expect(built.quote).toBeNull();
    expect(
      buildJobSpec(
        renderForm({
          env: [
            { id: 1, key: 'A', value: '1' },
            { id: 2, key: 'A', value: '2' },
          ],
        }),
      ).errors.env,
    ).toBe('A is set twice.');
  });
});

describe('validation by the API contract', () => {
  it('uses the schema the server uses, in its words', () => {
    const built = buildJobSpec(
      renderForm({
        name: 'x'.repeat(81),
        image: 'Not An Image',
        workUnits: '0',
        budget: '0',
        env: [{ id: 1, key: '1BAD', value: 'x' }],
      }),
    );
    expect(built.spec).toBeNull();
    expect(built.errors).toEqual({
      name: 'Must be at most 80 characters.',
      image: 'Must be a container image reference such as "vllm/vllm-openai:v0.6.3".',
      workUnits: 'Must be at least 1.',
      budget: 'Must be greater than zero.',
      env: '"1BAD" is not a variable name (letters, digits and _, not starting with a digit, at most 64).',
    });
  });

  it('still quotes when only the budget is wrong, without the wrong budget', () => {
    const built = buildJobSpec(renderForm({ budget: '0' }));
    expect(built.errors).toEqual({ budget: 'Must be greater than zero.' });
    expect(built.spec).toBeNull();
    expect(built.quote).not.toBeNull();
    expect(built.quote).not.toHaveProperty('budgetMicros');
  });

  it('names the same fields, with the same words, as the API answers for the same body', () => {
    const form = renderForm({ command: '', workUnits: '1.5', image: 'UPPER' });
    const built = buildJobSpec(form);
    const body = { ...buildJobSpec(renderForm({})).spec, command: [], workUnits: 1.5, image: 'UPPER' };
    const parsed = jobSpecSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    const api = validationError(parsed.error!, 'body').fields ?? [];
    expect(api.map((f) => f.field).sort()).toEqual(['command', 'image', 'workUnits']);
    for (const { field, message } of api) {
      const formField = fieldForApiPath(field)!;
      if (formField === 'workUnits') {
        // "1.5" does not read as a whole number: the form says so before any schema sees a value.
        expect(built.errors.workUnits).toBe('Enter a whole number, such as 1000.');
        continue;
      }
      expect(built.errors[formField]?.toLowerCase()).toBe(`${message}.`.toLowerCase());
    }
  });
});

describe('API error paths', () => {
  it('map to the field that shows them', () => {
    expect(fieldForApiPath('requirements.gpuCount')).toBe('gpuCount');
    expect(fieldForApiPath('requirements.maxPricePerGpuHourMicros')).toBe('maxPrice');
    expect(fieldForApiPath('requirements.gpuModels.0')).toBe('gpuModels');
    expect(fieldForApiPath('env.FOO')).toBe('env');
    expect(fieldForApiPath('command.3')).toBe('command');
    expect(fieldForApiPath('budgetMicros')).toBe('budget');
    expect(fieldForApiPath('Idempotency-Key')).toBeNull();
    expect(fieldForApiPath('requirements')).toBeNull();
  });
});

describe('the suggested budget', () => {
  it('is the high estimate plus 20 %, rounded up to the cent', () => {
    expect(suggestedBudgetMicros('10000000')).toBe(12_000_000n);
    expect(suggestedBudgetMicros('1')).toBe(10_000n);
    expect(suggestedBudgetMicros('0')).toBe(10_000n);
    expect(suggestedBudgetMicros('1234567')).toBe(1_490_000n);
  });
});

describe('input files in the form', () => {
  const base = () => formForTemplate('render', null);
  const row = (patch: Partial<InputRow>): InputRow => ({
    key: 'k',
    name: 'scene.json',
    sizeBytes: 10,
    fileId: null,
    progress: null,
    error: null,
    ...patch,
  });

  it('sends uploaded inputs by file id', () => {
    const built = buildJobSpec({
      ...base(),
      budget: '5',
      inputs: [row({ fileId: '5b7a3c1e-8f0d-4e2a-9b6c-1d2e3f4a5b6c' })],
    });
    expect(built.spec?.inputs).toEqual([{ fileId: '5b7a3c1e-8f0d-4e2a-9b6c-1d2e3f4a5b6c' }]);
  });

  it('holds the launch while an input uploads, or after one failed, or when two share a name', () => {
    const uploading = buildJobSpec({
      ...base(),
      budget: '5',
      inputs: [row({ progress: { phase: 'uploading', loaded: 1, total: 10 } })],
    });
    expect(uploading.spec).toBeNull();
    expect(uploading.errors.inputs).toMatch(/Wait until every input has uploaded/);
    const failed = buildJobSpec({ ...base(), budget: '5', inputs: [row({ error: 'refused' })] });
    expect(failed.errors.inputs).toMatch(/could not be uploaded/);
    const twice = buildJobSpec({
      ...base(),
      budget: '5',
      inputs: [row({ key: 'a', fileId: 'x' }), row({ key: 'b', fileId: 'y', name: 'Scene.json' })],
    });
    expect(twice.errors.inputs).toMatch(/same name/);
  });
});

describe('commands that name the job directories', () => {
  it('shows $(NAME) references as typed and reads them back', () => {
    const words = ['node', '$(BACKFILL_INPUT_DIR)/render.mjs'];
    expect(joinCommand(words)).toBe('node $(BACKFILL_INPUT_DIR)/render.mjs');
    expect(splitCommand(joinCommand(words))).toEqual(words);
  });
});

describe('input names from browser files', () => {
  it('keeps what the API accepts and replaces the rest', async () => {
    const { inputNameFor } = await import('@/components/jobs/input-files');
    expect(inputNameFor('scene.json')).toBe('scene.json');
    expect(inputNameFor('frame (1).png')).toBe('frame _1_.png');
    expect(inputNameFor('.hidden')).toBe('hidden');
    expect(inputNameFor('été.txt')).toBe('ete.txt');
    expect(inputNameFor('???')).toBe('input');
  });
});

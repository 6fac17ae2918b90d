import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/data/config';

const folder = join(PROJECT_ROOT, 'notebooks');
const notebooks = readdirSync(folder).filter((name) => name.endsWith('.ipynb'));

test('notebooks are named NN-topic.ipynb', () => {
  assert.ok(notebooks.length > 0);
  for (const name of notebooks) assert.match(name, /^\d\d-[a-z0-9-]+\.ipynb$/);
});

for (const name of notebooks) {
  test(`${name} is committed clean: no outputs, no execution counts, no cell metadata, tslab kernel`, () => {
    const notebook = JSON.parse(readFileSync(join(folder, name), 'utf8'));
    assert.equal(notebook.metadata.kernelspec.name, 'tslab');
    for (const cell of notebook.cells) {
      assert.deepEqual(cell.metadata, {}, `cell ${cell.id} has metadata`);
      if (cell.cell_type === 'code') {
        assert.deepEqual(cell.outputs, [], `cell ${cell.id} has outputs`);
        assert.equal(cell.execution_count, null, `cell ${cell.id} has an execution count`);
      }
    }
  });

  test(`${name} opens with a title and has one parameters cell that reads the environment and checks every parameter`, () => {
    const notebook = JSON.parse(readFileSync(join(folder, name), 'utf8'));
    assert.equal(notebook.cells[0].cell_type, 'markdown');
    assert.match(notebook.cells[0].source.join(''), /^# \d\d · /);
    const code = notebook.cells.filter((cell: { cell_type: string }) => cell.cell_type === 'code').map((cell: { source: string[] }) => cell.source.join(''));
    const parameterCells = code.filter((source: string) => source.includes('checkParameters()'));
    assert.equal(parameterCells.length, 1);
    assert.equal(code.indexOf(parameterCells[0]), 1, 'the parameters cell comes right after the import');
    assert.ok(!code.some((source: string) => /readParameters\(|integerParameter\(|stringParameter\(/.test(source)), 'every parameter goes through checkParameters');
  });
}

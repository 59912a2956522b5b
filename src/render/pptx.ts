import PptxGenJS from 'pptxgenjs';
import { chartModel, PALETTE, type ChartModel } from './chart-model';
import type { Cell, Fact, InlineData, ReportContent, ReportSection } from './report-content';

// Positions in inches on a 16:9 slide (10 × 5.625).
const BODY = { x: 0.4, y: 1.0, w: 9.2, h: 4.0 };
const HEADER_FILL = { color: 'EEF2F7' };

const cellText = (cell: Cell) => (cell === null ? '' : String(cell));

function addChart(slide: PptxGenJS.Slide, model: ChartModel): void {
  const data = model.series.map((series) => ({ name: series.name, labels: model.categories, values: series.values }));
  const single = model.series.length === 1;
  slide.addChart(model.kind, data, {
    ...BODY,
    chartColors: PALETTE.map((colour) => colour.slice(1)),
    barDir: 'col',
    showLegend: model.kind === 'pie' || !single,
    legendPos: 'b',
    showPercent: model.kind === 'pie',
    showCatAxisTitle: model.kind !== 'pie',
    catAxisTitle: model.categoryLabel,
    showValAxisTitle: model.kind !== 'pie' && single,
    valAxisTitle: model.series[0]!.name,
  });
}

const bold = (text: string): PptxGenJS.TableCell => ({ text, options: { bold: true, fill: HEADER_FILL } });

function addTable(slide: PptxGenJS.Slide, rows: PptxGenJS.TableRow[]): void {
  // autoPage continues a long table on as many slides as it needs, its header repeated.
  slide.addTable(rows, { ...BODY, fontSize: 11, border: { type: 'solid', pt: 0.5, color: 'CCCCCC' }, autoPage: true, autoPageRepeatHeader: true });
}

const dataRows = (data: InlineData): PptxGenJS.TableRow[] => [data.columns.map(bold), ...data.rows.map((row) => row.map((cell) => ({ text: cellText(cell) })))];
const factRows = (facts: Fact[]): PptxGenJS.TableRow[] => facts.map(([label, value]) => [bold(label), { text: value }]);

function addData(slide: PptxGenJS.Slide, data: InlineData): void {
  const model = chartModel(data);
  if (model) addChart(slide, model);
  else addTable(slide, dataRows(data));
}

/** One slide: the section's name, then its chart, or its table, or (without data) what it shows. */
function addSectionSlide(pptx: PptxGenJS, section: ReportSection): void {
  const slide = pptx.addSlide();
  slide.addText(section.name, { x: BODY.x, y: 0.25, w: BODY.w, h: 0.6, fontSize: 24, bold: true, color: '222222', fit: 'shrink' });
  if (section.data) addData(slide, section.data);
  else addTable(slide, factRows(section.facts));
}

/** A PowerPoint deck: one slide per section, charts as native (editable) PowerPoint charts. */
export async function renderPptx(content: ReportContent): Promise<Buffer> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_16x9';
  pptx.title = content.title;
  pptx.company = 'sharing-tasks';
  for (const section of content.sections) addSectionSlide(pptx, section);
  const bytes = await pptx.write({ outputType: 'nodebuffer' });
  if (!Buffer.isBuffer(bytes)) throw new Error('pptxgenjs did not write a Buffer');
  return bytes;
}

/** The sample host dumps that ship with the app (public/samples), fetched from the app's own origin. */
export interface Sample {
  id: string;
  title: string;
  files: string[];
  source: string;
}

export interface SampleIndex {
  default: string;
  samples: Sample[];
}

const base = `${import.meta.env.BASE_URL}samples/`;

export async function fetchSampleIndex(): Promise<SampleIndex> {
  const response = await fetch(`${base}index.json`);
  if (!response.ok) throw new Error(`samples/index.json: HTTP ${response.status}`);
  return (await response.json()) as SampleIndex;
}

export async function fetchSample(sample: Sample): Promise<{ name: string; text: string }[]> {
  return Promise.all(
    sample.files.map(async (file) => {
      const response = await fetch(base + encodeURIComponent(file));
      if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
      return { name: file, text: await response.text() };
    }),
  );
}

/**
 * The lossless libvirt domain XML engine: parse a document that keeps every byte, read the
 * GuestLayout it describes, and write a layout back as the smallest edit of that document's text.
 */
export { parseDomainDocument, positionOf, type DomainDocument, type XmlElement, type XmlAttribute, type XmlNode } from './lossless-xml.ts';
export { domainNameOf, readLayout, type ReadResult } from './read.ts';
export { writeLayout, type WriteResult, type WriteOptions } from './write.ts';
export { applyEdits, minimalEdits, singleReplacement, type TextEdit } from './edits.ts';
export { CPUMASK_LEN, MAX_CELLS, MAX_MEMORY_KIB, MAX_VCPUS } from '../guest/limits.ts';
export { layoutPastLimits } from './layout-limits.ts';

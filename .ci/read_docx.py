"""Reads Word documents back with python-docx and prints, per file, its tables (with the caption
paragraph right before each) and its paragraphs, as JSON: what a reader of the .docx would see."""

import json
import sys

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph


def read(path):
    document = docx.Document(path)
    tables, paragraphs = [], []
    caption = None
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(element, document)
            paragraphs.append({"style": paragraph.style.name, "text": paragraph.text})
            caption = paragraph.text if paragraph.style.name == "Caption" else None
        elif tag == "tbl":
            table = Table(element, document)
            tables.append(
                {
                    "caption": caption,
                    "rows": [[cell.text for cell in row.cells] for row in table.rows],
                }
            )
            caption = None
    return {"title": document.core_properties.title, "tables": tables, "paragraphs": paragraphs}


if __name__ == "__main__":
    json.dump({path: read(path) for path in sys.argv[1:]}, sys.stdout, ensure_ascii=False)

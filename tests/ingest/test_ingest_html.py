"""A saved government web page reads back as its article only, furniture removed."""

from __future__ import annotations

from pathlib import Path

from tracker.ingest import read_document

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>政务公开_某某市民政局</title>
<style>.zoom {{ font-size: 16px }}</style>
<script>var title = "不应出现的脚本文字"; document.write("<p>也不应出现</p>");</script>
</head>
<body>
<header><div class="logo">某某市人民政府门户网站</div></header>
<nav><a href="/">首页</a> <a href="/gk">政务公开</a> <a href="/hd">互动交流</a></nav>
<div class="position">当前位置:<a href="/">首页</a> &gt; 政务公开 &gt; 工作要点</div>
<article>
  <h1>2024年某某市民政局政务公开工作要点</h1>
  <div class="info">发布时间:2024-03-01 来源:市民政局 字号:[大][中][小] 【打印】【关闭窗口】</div>
  <div class="TRS_Editor">
    <p>一、提高公开质量与发布质效</p>
    <p>1.加强重点任务落实信息公开。<br>聚焦市委、市政府重点工作任务。</p>
    <table><tr><td>序号</td><td>工作任务</td><td>责任单位</td></tr>
      <tr><td>1</td><td>推进政策解读&amp;回应</td><td>局办公室</td></tr></table>
    <p>附件:<a href="/f.doc">任务分工.doc</a></p>
  </div>
  <div>扫一扫在手机打开当前页</div>
  <div class="share">分享到:<a>微信</a><a>微博</a></div>
</article>
<footer>主办单位:某某市人民政府办公室 网站标识码:3708000001</footer>
<script>console.log("tail")</script>
</body></html>
"""

EXPECTED = [
    "2024年某某市民政局政务公开工作要点",
    "发布时间:2024-03-01 来源:市民政局",
    "一、提高公开质量与发布质效",
    "1.加强重点任务落实信息公开。",
    "聚焦市委、市政府重点工作任务。",
    "序号 | 工作任务 | 责任单位",
    "1 | 推进政策解读&回应 | 局办公室",
    "附件:任务分工.doc",
]


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def test_html_article_only(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    result = read_document(path)
    assert (result.format, result.encoding) == ("html", "utf-8")
    assert _lines(result.text) == EXPECTED
    for leftover in ("脚本", "首页", "当前位置", "门户网站", "打印", "扫一扫", "分享", "主办单位", "console"):
        assert leftover not in result.text


def test_html_declared_gb2312_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(PAGE.format(charset="gb2312").encode("gbk"))
    result = read_document(path)
    assert result.encoding == "gb18030"
    assert _lines(result.text) == EXPECTED


def test_html_without_article_drops_furniture_from_body(tmp_path: Path) -> None:
    page = PAGE.replace("<article>", "<div>").replace("</article>", "</div>")
    path = tmp_path / "page.html"
    path.write_text(page.format(charset="utf-8"), encoding="utf-8")
    assert _lines(read_document(path).text) == EXPECTED


def test_web_page_saved_as_txt_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    result = read_document(path)
    assert result.format == "html"
    assert _lines(result.text) == EXPECTED


def test_markup_in_text_is_data(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>&lt;script&gt;alert(1)&lt;/script&gt; [bold]要点[/bold]</p></body></html>", encoding="utf-8")
    assert read_document(path).text == "<script>alert（1）</script> [bold]要点[/bold]"


def test_utf8_page_with_a_stale_gb2312_meta_is_read_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.format(charset="gb2312").encode("utf-8"))
    result = read_document(path)
    assert result.encoding == "utf-8"
    assert _lines(result.text) == EXPECTED


def test_paragraphs_inside_table_cells_keep_the_row_on_one_line(tmp_path: Path) -> None:
    page = (
        "<html><body><p>任务分工</p><table><tbody>"
        "<tr><td><p>序号</p></td><td><p>工作任务</p></td><td><p>责任单位</p></td></tr>"
        "<tr><td><p>1</p></td><td><p>推进政策解读</p><p>及时发布解读材料</p></td><td></td></tr>"
        "<tr><td><p>2</p></td><td><p>回应关切</p></td><td><p>局办公室<br>各科室</p></td></tr>"
        "</tbody></table><p>附件</p></body></html>"
    )
    path = tmp_path / "table.html"
    path.write_text(page, encoding="utf-8")
    assert _lines(read_document(path).text) == [
        "任务分工",
        "序号 | 工作任务 | 责任单位",
        "1 | 推进政策解读 及时发布解读材料",
        "2 | 回应关切 | 局办公室 各科室",
        "附件",
    ]


def test_a_small_article_widget_does_not_hide_the_content(tmp_path: Path) -> None:
    body = "".join(f"<p>{n}.加强重点任务落实信息公开,持续做好民政领域规划实施措施的公开工作。</p>" for n in range(1, 6))
    page = f"<html><body><div class='main'>{body}</div><aside></aside><article>相关文章</article></body></html>"
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    lines = _lines(read_document(path).text)
    assert [line[:2] for line in lines[:5]] == ["1.", "2.", "3.", "4.", "5."]

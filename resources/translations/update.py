# ruff: noqa: E501  (a translation table: one entry per line reads best)
"""Refresh the Simplified Chinese translation: lupdate, fill from ZH_CN, lrelease.

Run from the repository root: `.venv/bin/python resources/translations/update.py`.
Strings not in ZH_CN stay unfinished in the .ts (and fall back to English at run time).
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TS = HERE / "curio_zh_CN.ts"
QM = HERE / "curio_zh_CN.qm"

ZH_CN = {
    "&File": "文件(&F)", "&Edit": "编辑(&E)", "&Help": "帮助(&H)", "&Item": "条目(&I)", "&View": "视图(&V)",
    "<h3>Curio</h3><p>Offline content curation: tags, clusters and recommendations for your own library. "
    "Nothing leaves this computer.</p><p>Catalog: {0}</p>":
        "<h3>Curio</h3><p>离线内容策展：为您自己的资料库提供标签、聚类和推荐。任何数据都不会离开这台电脑。</p>"
        "<p>目录文件：{0}</p>",
    "Hidden": "已隐藏", "Nothing is hidden.": "没有隐藏的条目。", "{0} hidden": "已隐藏 {0} 个",
    "Items you hid (Delete) stay out of the library, search, similar items and recommendations until you show them again.":
        "您隐藏的条目（Delete 键）不会出现在资料库、搜索、相似条目和推荐中，直到您重新显示它们。",
    "Show Again": "重新显示", "Show the selected items in every view again": "在所有视图中重新显示所选条目",
    "Show the selected hidden items in every view again (Ctrl+Shift+H)": "在所有视图中重新显示所选的隐藏条目 (Ctrl+Shift+H)",
    "Undo": "撤销", "Undo Hide": "撤销隐藏", "Undo Show Again": "撤销重新显示",
    "Undone: {0} item(s) shown again": "已撤销：{0} 个条目重新显示",
    "Undone: {0} item(s) hidden again": "已撤销：{0} 个条目重新隐藏",
    "Language Model": "语言模型", "Automatic": "自动", "English (faster)": "英文（更快）",
    "Multilingual (Chinese, mixed languages)": "多语言（中文、混合语言）",
    "Multilingual when most of the library is Chinese, else English": "资料库以中文为主时使用多语言模型，否则使用英文模型",
    "Best for English libraries; about twice as fast": "最适合英文资料库；速度约快一倍",
    "Chinese and mixed libraries; finds items across languages": "适合中文和混合语言资料库；可跨语言查找条目",
    "Using the {0} model; updating the library in the background…": "正在使用{0}模型；正在后台更新资料库…",
    "About Curio": "关于 Curio", "Accept selected": "接受所选", "Accept this tag": "接受此标签",
    "Accepted {0} suggestion(s)": "已接受 {0} 条建议", "Add Folder…": "添加文件夹…",
    "Add a library folder": "添加资料库文件夹", "Add a library folder (Ctrl+O)": "添加资料库文件夹 (Ctrl+O)",
    "Added {0}": "已添加 {0}", "All folders": "所有文件夹", "All items": "全部条目", "All kinds": "所有类型",
    "Any cluster": "任意聚类", "Any tag": "任意标签", "Appearance": "外观", "Author": "作者",
    "Building clusters…": "正在构建聚类…", "Cancel": "取消", "Cluster": "聚类", "Clustering": "聚类中",
    "Clusters": "聚类", "Clusters rebuilt": "聚类已重建", "Confidence": "置信度", "Copy path": "复制路径",
    "Created tag “{0}”": "已创建标签“{0}”", "Curio cannot open its catalog": "Curio 无法打开目录",
    "Dark": "深色", "Date": "日期", "Dimensions": "尺寸", "Dislike": "不喜欢",
    "Disliked {0} item(s)": "已标记 {0} 个条目为不喜欢",
    "Done": "完成",
    "Drag on the map to select many items, then tag them at once. Double-click a dot to open it in the "
    "library.": "在地图上拖动可选择多个条目并一次性加标签。双击圆点可在资料库中打开。",
    "Duplicate: {0}": "重复：{0}", "Duplicates": "重复项", "Duration": "时长", "Embedding": "生成向量",
    "Every file was read.": "所有文件均已读取。", "Failed files": "读取失败", "File": "文件",
    "Files with the same or nearly the same content. Curio never deletes files: hide the copies you do "
    "not want to see.": "内容相同或几乎相同的文件。Curio 从不删除文件：请隐藏您不想看到的副本。",
    "Filters": "筛选", "Find": "查找", "Folder": "文件夹", "Follow System": "跟随系统", "For you": "为你推荐",
    "From": "从",
    "Full-text search only: meaning-based search is not available in this build.":
        "仅全文搜索：此版本不支持语义搜索。",
    "Grid": "网格", "Group {0}: {1} copies": "第 {0} 组：{1} 个副本", "Hid {0} item(s)": "已隐藏 {0} 个条目",
    "Hide": "隐藏", "Hide from every view (Delete)": "在所有视图中隐藏 (Delete)",
    "Indexing cancelled; finished files are kept.": "索引已取消；已完成的文件会保留。",
    "Indexing stopped: {0}": "索引已停止：{0}", "Item": "条目", "Items": "条目数", "Keywords": "关键词",
    "Kind": "类型", "Language": "语言", "Less like this (Ctrl+D)": "减少此类 (Ctrl+D)",
    "Let the model suggest it": "允许模型建议", "Model suggests": "模型建议",
    "Let the model suggest this tag on other items": "允许模型在其他条目上建议此标签", "Library": "资料库",
    "Library up to date: {0} new, {1} changed, {2} could not be read":
        "资料库已是最新：新增 {0}，变更 {1}，{2} 个无法读取",
    "Light": "浅色", "Like": "喜欢", "Liked {0} item(s)": "已喜欢 {0} 个条目", "Loading…": "正在加载…",
    "Look for new and changed files": "查找新增和变更的文件", "Main toolbar": "主工具栏",
    "Merge into…": "合并到…", "Merge tags": "合并标签", "Merge {0} tag(s) into:": "将 {0} 个标签合并到：",
    "Merged {0} tag(s)": "已合并 {0} 个标签", "More like this (Ctrl+L)": "更多此类 (Ctrl+L)", "Name:": "名称：",
    "New name:": "新名称：", "New tag": "新建标签", "New tag…": "新建标签…",
    "No clusters yet. They are built after the library's embeddings; press “Rebuild clusters” to build "
    "them now.": "还没有聚类。聚类在资料库生成向量后构建；点击“重建聚类”立即构建。",
    "No duplicates found.": "未发现重复项。", "No map yet: build clusters first.": "还没有地图：请先构建聚类。",
    "No summary yet.": "暂无摘要。", "No tags yet.": "暂无标签。",
    "Not available in this build": "此版本不可用", "Not available in this build: {0}": "此版本不可用：{0}",
    "Nothing close enough yet.": "暂无足够相近的条目。",
    "Nothing to recommend yet: open, like or tag a few items first.": "暂无推荐：请先打开、喜欢或标记几个条目。",
    "Nothing to review.": "没有待审核的建议。", "Open": "打开", "Open File": "打开文件", "Pages": "页数",
    "Pause": "暂停", "Paused — ": "已暂停 — ",
    "Picked from what you opened, liked and tagged. Like, dislike or hide items to steer it.":
        "根据您打开、喜欢和标记的内容挑选。喜欢、不喜欢或隐藏条目可调整推荐。",
    "Preview the item (Space)": "预览条目 (空格)", "Put a tag on every selected item (Ctrl+T)":
        "给所有选中的条目加标签 (Ctrl+T)",
    "Put “{0}” under “{1}”?": "将“{0}”放在“{1}”之下？", "Quick Look": "快速查看", "Quit": "退出",
    "Reading files": "读取文件", "Reason": "原因", "Rebuild clusters": "重建聚类", "Refresh": "刷新",
    "Reject selected": "拒绝所选", "Reject this tag (it will not be suggested again)": "拒绝此标签（不会再次建议）",
    "Rejected {0} suggestion(s)": "已拒绝 {0} 条建议", "Rename tag": "重命名标签",
    "Renamed to “{0}”": "已重命名为“{0}”", "Rename…": "重命名…", "Resume": "继续", "Scanning": "扫描中",
    "Score": "得分",
    'Search titles and text — "exact phrase", OR, -word, pre*': '搜索标题和正文 — "精确短语"、OR、-排除词、前缀*',
    "Searched by words only: {0}": "仅按字词搜索：{0}", "Searching…": "正在搜索…",
    "Select an item to see its details.": "选择一个条目以查看详情。",
    "Select suggestions first (Ctrl+A selects all).": "请先选择建议（Ctrl+A 全选）。",
    "Show in Folder": "在文件夹中显示", "Show in folder": "在文件夹中显示",
    "Showing {0} item(s) again": "重新显示 {0} 个条目",
    "Similar items need the embedding model.": "相似条目需要向量模型。", "Size": "大小", "Source": "来源",
    "Starting…": "正在启动…", "Stopping after the current files…": "处理完当前文件后停止…", "Stopping…": "正在停止…",
    "Suggested": "建议", "Suggestions waiting for review": "待审核的标签建议", "Summarising": "生成摘要",
    "Summary": "摘要", "Table": "表格", "Tag": "标签", "Tag Selection…": "给所选加标签…",
    "Tag accepted on {0} item(s)": "已在 {0} 个条目上接受标签", "Tag rejected on {0} item(s)": "已在 {0} 个条目上拒绝标签",
    "Tag selection": "给所选加标签", "Tag selection…": "给所选加标签…", "Tag {0} item(s) with:": "给 {0} 个条目加标签：",
    "Tagged {0} item(s) “{1}”": "已给 {0} 个条目加上“{1}”", "Tagging": "标记中", "Tags": "标签",
    "Tags are not available in this build.": "此版本不支持标签。", "The file is gone: {0}": "文件已不存在：{0}",
    "The folder is gone: {0}": "文件夹已不存在：{0}",
    "These files could not be read. Curio tries them again when they change.":
        "这些文件无法读取。文件变更后 Curio 会再次尝试。",
    "This item has no text.": "此条目没有文本。", "Title": "标题", "Update Library": "更新资料库",
    "Welcome to Curio: opening the sample library…": "欢迎使用 Curio：正在打开示例资料库…", "Why": "推荐理由",
    "You may also like": "你可能还喜欢", "accepted": "已接受", "suggested": "建议", "to": "至",
    "{0} items": "{0} 个条目", "{0} results": "{0} 个结果", "{0} selected on the map": "地图上已选 {0} 个",
    "{0} waiting": "{0} 条待审核", "{0}: {1} / {2} · {3:.1f} files/s · ETA {4}":
        "{0}：{1} / {2} · {3:.1f} 个文件/秒 · 剩余 {4}",
    "{0}: {1} files found": "{0}：已找到 {1} 个文件",
    # The language code the UI asks for (i18n.ui_language): taxonomy tags follow it.
    "en": "zh",
    "Relevance": "相关度", "Because you liked “{0}”": "因为你喜欢“{0}”",
    "Tagged “{0}”, like items you liked": "带有“{0}”标签，和你喜欢的条目一样",
    "Often opened together with “{0}”": "常与“{0}”一起打开", "From a topic you read: {0}": "来自你常读的主题：{0}",
    "Something different: {0}": "换换口味：{0}", "To get you started: {0}": "入门推荐：{0}",
    "Something different to start with": "先看点不一样的",
    "How well it matches what you like, relative to the best match shown": "与你喜好的匹配程度（相对于列表中最匹配的一项）",
    "Rule": "规则", "Topic model": "主题模型", "Learned from your tags": "从你的标签学习", "You": "你",
    "Your tags and the topics Curio knows": "你的标签和 Curio 内置的主题",
    "Duplicates of this item": "此条目的重复项", "very close": "非常相近", "close": "相近", "related": "相关",
    "same file": "同一文件", "same text": "文本相同", "nearly the same text": "文本几乎相同",
}


def tool(name: str) -> str:
    venv = Path(sys.executable).parent
    return str(venv / f"pyside6-{name}")


def main() -> int:
    sources = sorted(str(p) for p in (ROOT / "desktop" / "ui").glob("*.py"))
    subprocess.run([tool("lupdate"), *sources, "-no-obsolete", "-ts", str(TS),
                    "-target-language", "zh_CN"], check=True)
    tree = ET.parse(TS)
    missing = set()
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if source in ZH_CN:
            translation.text = ZH_CN[source]
            translation.attrib.pop("type", None)
        elif not (translation.text or "").strip():
            missing.add(source)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([tool("lrelease"), str(TS), "-qm", str(QM)], check=True)
    for source in sorted(missing):
        print(f"untranslated: {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

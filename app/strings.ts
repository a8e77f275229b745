/**
 * The few strings the main process shows itself (native menu, native dialogs), in English and
 * Simplified Chinese. Everything else is translated in the renderer (src/ui/locales).
 * No concatenation: placeholders like {name} are filled by format().
 */
import type { Language } from '../src/ipc/api';

export interface Strings {
  menu: {
    file: string;
    open: string;
    openRecent: string;
    noRecent: string;
    clearRecent: string;
    save: string;
    saveAs: string;
    exportHtml: string;
    exportPdf: string;
    exportCsv: string;
    quit: string;
    quitApp: string;
    edit: string;
    undo: string;
    redo: string;
    cut: string;
    copy: string;
    paste: string;
    selectAll: string;
    view: string;
    zoomIn: string;
    zoomOut: string;
    resetZoom: string;
    fullScreen: string;
    theme: string;
    themeSystem: string;
    themeLight: string;
    themeDark: string;
    language: string;
    reload: string;
    devTools: string;
    window: string;
    help: string;
    shortcuts: string;
    docs: string;
    about: string;
    services: string;
    hide: string;
    hideOthers: string;
    showAll: string;
  };
  dialog: {
    openTitle: string;
    saveTitle: string;
    exportTitle: string;
    scenarioFilter: string;
    yamlFilter: string;
    jsonFilter: string;
    allFilter: string;
    htmlFilter: string;
    pdfFilter: string;
    csvFilter: string;
    unsavedMessage: string;
    unsavedDetail: string;
    save: string;
    dontSave: string;
    cancel: string;
    fileTooLarge: string;
    fileGone: string;
  };
}

const en: Strings = {
  menu: {
    file: 'File',
    open: 'Open Scenario…',
    openRecent: 'Open Recent',
    noRecent: 'No Recent Files',
    clearRecent: 'Clear Recent',
    save: 'Save',
    saveAs: 'Save As…',
    exportHtml: 'Export Report as HTML…',
    exportPdf: 'Export Report as PDF…',
    exportCsv: 'Export Data as CSV…',
    quit: 'Quit',
    quitApp: 'Quit QueueLab',
    edit: 'Edit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select All',
    view: 'View',
    zoomIn: 'Zoom In',
    zoomOut: 'Zoom Out',
    resetZoom: 'Actual Size',
    fullScreen: 'Toggle Full Screen',
    theme: 'Theme',
    themeSystem: 'Same as System',
    themeLight: 'Light',
    themeDark: 'Dark',
    language: 'Language',
    reload: 'Reload',
    devTools: 'Toggle Developer Tools',
    window: 'Window',
    help: 'Help',
    shortcuts: 'Keyboard Shortcuts',
    docs: 'Documentation',
    about: 'About QueueLab',
    services: 'Services',
    hide: 'Hide QueueLab',
    hideOthers: 'Hide Others',
    showAll: 'Show All',
  },
  dialog: {
    openTitle: 'Open Scenario',
    saveTitle: 'Save Scenario',
    exportTitle: 'Export Report',
    scenarioFilter: 'QueueLab Scenario',
    yamlFilter: 'YAML',
    jsonFilter: 'JSON',
    allFilter: 'All Files',
    htmlFilter: 'Web Page (HTML)',
    pdfFilter: 'PDF Document',
    csvFilter: 'CSV (Excel)',
    unsavedMessage: 'Save the changes to {name}?',
    unsavedDetail: 'Your changes will be lost if you don’t save them.',
    save: 'Save',
    dontSave: 'Don’t Save',
    cancel: 'Cancel',
    fileTooLarge: '{name} is too large to be a scenario (more than {max} characters).',
    fileGone: 'The file is no longer there.',
  },
};

const zhCN: Strings = {
  menu: {
    file: '文件',
    open: '打开场景…',
    openRecent: '最近打开',
    noRecent: '没有最近打开的文件',
    clearRecent: '清除最近打开记录',
    save: '保存',
    saveAs: '另存为…',
    exportHtml: '导出报告为 HTML…',
    exportPdf: '导出报告为 PDF…',
    exportCsv: '导出数据为 CSV…',
    quit: '退出',
    quitApp: '退出 QueueLab',
    edit: '编辑',
    undo: '撤销',
    redo: '重做',
    cut: '剪切',
    copy: '复制',
    paste: '粘贴',
    selectAll: '全选',
    view: '视图',
    zoomIn: '放大',
    zoomOut: '缩小',
    resetZoom: '实际大小',
    fullScreen: '切换全屏',
    theme: '主题',
    themeSystem: '跟随系统',
    themeLight: '浅色',
    themeDark: '深色',
    language: '语言',
    reload: '重新加载',
    devTools: '切换开发者工具',
    window: '窗口',
    help: '帮助',
    shortcuts: '键盘快捷键',
    docs: '文档',
    about: '关于 QueueLab',
    services: '服务',
    hide: '隐藏 QueueLab',
    hideOthers: '隐藏其他',
    showAll: '全部显示',
  },
  dialog: {
    openTitle: '打开场景',
    saveTitle: '保存场景',
    exportTitle: '导出报告',
    scenarioFilter: 'QueueLab 场景',
    yamlFilter: 'YAML',
    jsonFilter: 'JSON',
    allFilter: '所有文件',
    htmlFilter: '网页 (HTML)',
    pdfFilter: 'PDF 文档',
    csvFilter: 'CSV (Excel)',
    unsavedMessage: '是否保存对 {name} 的更改？',
    unsavedDetail: '如果不保存，你的更改将会丢失。',
    save: '保存',
    dontSave: '不保存',
    cancel: '取消',
    fileTooLarge: '{name} 太大，不是场景文件（超过 {max} 个字符）。',
    fileGone: '该文件已不存在。',
  },
};

export const STRINGS: Readonly<Record<Language, Strings>> = { en, 'zh-CN': zhCN };

/** Language names in their own language, as language pickers show them. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', 'zh-CN': '简体中文' };

export function format(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

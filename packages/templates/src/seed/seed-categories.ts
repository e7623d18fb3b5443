import type { TemplateClass } from '../types.js';

export interface CategoryDefinition {
  key: string;
  name: string;
  description: string;
  class: TemplateClass;
  /** Only transactional categories may be required: nobody can opt out of them. */
  required: boolean;
  defaultSubscribed: boolean;
  /**
   * The name and description on the recipient pages in each of their other languages
   * (docs/decisions/021-page-translations.md), by language tag.
   */
  translations: Record<string, { name: string; description?: string }>;
}

// Promotional categories start unsubscribed: promotional mail goes to people who asked for it
// (an import or sign-up records that consent in the log), never to everyone by default.
export const seedCategories: CategoryDefinition[] = [
  {
    key: 'security',
    name: 'Security',
    description: 'Sign-in links and alerts about your account’s security.',
    class: 'transactional',
    required: true,
    defaultSubscribed: true,
    translations: {
      de: { name: 'Sicherheit', description: 'Anmeldelinks und Warnungen zur Sicherheit Ihres Kontos.' },
      fr: {
        name: 'Sécurité',
        description: 'Liens de connexion et alertes concernant la sécurité de votre compte.',
      },
      es: {
        name: 'Seguridad',
        description: 'Enlaces de inicio de sesión y avisos sobre la seguridad de tu cuenta.',
      },
      ja: {
        name: 'セキュリティ',
        description: 'サインイン用リンクと、アカウントのセキュリティに関する通知。',
      },
      ar: { name: 'الأمان', description: 'روابط تسجيل الدخول وتنبيهات بشأن أمان حسابك.' },
    },
  },
  {
    key: 'policy-updates',
    name: 'Policy updates',
    description: 'Notice of changes to our terms and privacy policy before they take effect.',
    class: 'transactional',
    required: true,
    defaultSubscribed: true,
    translations: {
      de: {
        name: 'Richtlinien-Updates',
        description:
          'Hinweise auf Änderungen unserer Bedingungen und Datenschutzerklärung, bevor sie in Kraft treten.',
      },
      fr: {
        name: 'Mises à jour des politiques',
        description:
          'Avis de modification de nos conditions et de notre politique de confidentialité avant leur entrée en vigueur.',
      },
      es: {
        name: 'Cambios en las políticas',
        description:
          'Avisos de cambios en nuestras condiciones y política de privacidad antes de que entren en vigor.',
      },
      ja: {
        name: 'ポリシーの更新',
        description: '利用規約とプライバシーポリシーの変更を、発効前にお知らせします。',
      },
      ar: {
        name: 'تحديثات السياسات',
        description: 'إشعار بالتغييرات على شروطنا وسياسة الخصوصية قبل أن تسري.',
      },
    },
  },
  {
    key: 'service-notices',
    name: 'Service notices',
    description: 'Maintenance windows, incidents and changes to features you use.',
    class: 'transactional',
    required: false,
    defaultSubscribed: true,
    translations: {
      de: {
        name: 'Servicehinweise',
        description: 'Wartungsfenster, Störungen und Änderungen an Funktionen, die Sie nutzen.',
      },
      fr: {
        name: 'Avis de service',
        description:
          'Fenêtres de maintenance, incidents et modifications des fonctionnalités que vous utilisez.',
      },
      es: {
        name: 'Avisos del servicio',
        description: 'Ventanas de mantenimiento, incidencias y cambios en las funciones que usas.',
      },
      ja: { name: 'サービスのお知らせ', description: 'メンテナンスの予定、障害、ご利用中の機能の変更。' },
      ar: {
        name: 'إشعارات الخدمة',
        description: 'فترات الصيانة والأعطال والتغييرات على الميزات التي تستخدمها.',
      },
    },
  },
  {
    key: 'collaboration-invites',
    name: 'Collaboration invitations',
    description: 'Invitations from other people to join their workspaces.',
    class: 'transactional',
    required: false,
    defaultSubscribed: true,
    translations: {
      de: {
        name: 'Einladungen zur Zusammenarbeit',
        description: 'Einladungen anderer Personen, ihren Arbeitsbereichen beizutreten.',
      },
      fr: {
        name: 'Invitations à collaborer',
        description: 'Invitations d’autres personnes à rejoindre leurs espaces de travail.',
      },
      es: {
        name: 'Invitaciones a colaborar',
        description: 'Invitaciones de otras personas para unirte a sus espacios de trabajo.',
      },
      ja: { name: '共同作業への招待', description: '他の方からの、ワークスペースへの参加の招待。' },
      ar: { name: 'دعوات التعاون', description: 'دعوات من أشخاص آخرين للانضمام إلى مساحات عملهم.' },
    },
  },
  {
    key: 'newsletter',
    name: 'Newsletter',
    description: 'A monthly round-up of what we shipped and what we learned.',
    class: 'promotional',
    required: false,
    defaultSubscribed: true,
    translations: {
      de: {
        name: 'Newsletter',
        description: 'Ein monatlicher Überblick darüber, was wir veröffentlicht und gelernt haben.',
      },
      fr: {
        name: 'Newsletter',
        description: 'Un récapitulatif mensuel de ce que nous avons livré et appris.',
      },
      es: { name: 'Boletín', description: 'Un resumen mensual de lo que hemos lanzado y aprendido.' },
      ja: { name: 'ニュースレター', description: 'リリースした内容と学んだことを毎月まとめてお届けします。' },
      ar: { name: 'النشرة الإخبارية', description: 'ملخص شهري لما أطلقناه وما تعلمناه.' },
    },
  },
  {
    key: 'product-news',
    name: 'Product news',
    description: 'Announcements of new products and major features.',
    class: 'promotional',
    required: false,
    defaultSubscribed: true,
    translations: {
      de: {
        name: 'Produktneuigkeiten',
        description: 'Ankündigungen neuer Produkte und wichtiger Funktionen.',
      },
      fr: {
        name: 'Actualités produits',
        description: 'Annonces de nouveaux produits et de fonctionnalités majeures.',
      },
      es: {
        name: 'Novedades de productos',
        description: 'Anuncios de nuevos productos y funciones importantes.',
      },
      ja: { name: '製品ニュース', description: '新製品や主要な機能のお知らせ。' },
      ar: { name: 'أخبار المنتجات', description: 'إعلانات عن منتجات جديدة وميزات رئيسية.' },
    },
  },
  {
    key: 'promotions',
    name: 'Offers and promotions',
    description: 'Discounts, trials and event invitations.',
    class: 'promotional',
    required: false,
    defaultSubscribed: true,
    translations: {
      de: {
        name: 'Angebote und Aktionen',
        description: 'Rabatte, Testphasen und Einladungen zu Veranstaltungen.',
      },
      fr: {
        name: 'Offres et promotions',
        description: 'Réductions, essais et invitations à des événements.',
      },
      es: { name: 'Ofertas y promociones', description: 'Descuentos, pruebas y invitaciones a eventos.' },
      ja: { name: 'キャンペーンとお得な情報', description: '割引、無料トライアル、イベントへのご招待。' },
      ar: { name: 'العروض والترويج', description: 'خصومات وتجارب مجانية ودعوات إلى فعاليات.' },
    },
  },
];
